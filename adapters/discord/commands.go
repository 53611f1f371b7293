package discord

import (
	"strings"

	"github.com/bwmarrin/discordgo"

	"kazbot/bot"
)

// applicationCommands turns the engine's command set for Discord into slash
// command definitions: one optional or required string option per
// argument, with autocomplete where the engine can complete it.
func applicationCommands() []*discordgo.ApplicationCommand {
	specs := bot.Commands(platform)
	out := make([]*discordgo.ApplicationCommand, 0, len(specs))
	for _, c := range specs {
		desc := bot.Truncate(strings.TrimSpace(c.Description), maxCommandDesc)
		if desc == "" {
			desc = c.Name
		}
		cmd := &discordgo.ApplicationCommand{
			Type:        discordgo.ChatApplicationCommand,
			Name:        c.Name,
			Description: desc,
			Options:     []*discordgo.ApplicationCommandOption{},
		}
		if a := c.Arg; a != nil {
			adesc := bot.Truncate(strings.TrimSpace(a.Description), maxCommandDesc)
			if adesc == "" {
				adesc = desc
			}
			cmd.Options = append(cmd.Options, &discordgo.ApplicationCommandOption{
				Type:         discordgo.ApplicationCommandOptionString,
				Name:         a.Name,
				Description:  adesc,
				Required:     a.Required,
				Autocomplete: a.Complete != "",
			})
		}
		out = append(out, cmd)
	}
	return out
}

// commandSpec finds the engine's spec for a command name.
func commandSpec(name string) (bot.CommandSpec, bool) {
	for _, c := range bot.Commands(platform) {
		if c.Name == name {
			return c, true
		}
	}
	return bot.CommandSpec{}, false
}

// completes says what a command's argument autocompletes:
// bot.CompleteQuestions, bot.CompleteTopics or "".
func completes(command string) string {
	if c, ok := commandSpec(command); ok && c.Arg != nil {
		return c.Arg.Complete
	}
	return ""
}

// stringOption returns the value of a command's string option: the
// focused one during autocomplete, else the first (the engine's commands
// take at most one argument).
func stringOption(opts []*discordgo.ApplicationCommandInteractionDataOption) string {
	first := ""
	for _, o := range opts {
		s, ok := "", false
		if o != nil {
			s, ok = o.Value.(string)
		}
		switch {
		case ok && o.Focused:
			return s
		case ok && first == "":
			first = s
		}
	}
	return first
}
