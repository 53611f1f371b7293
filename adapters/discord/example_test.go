package discord_test

import (
	"context"
	"log/slog"
	"os"
	"os/signal"

	"kazbot/adapters/discord"
	"kazbot/bot"
	"kazbot/knowledge"
)

// Example runs kazbot on Discord until interrupted: the token comes from
// the environment, everything else takes its default.
func Example() {
	pack, err := knowledge.Embedded()
	if err != nil {
		panic(err)
	}
	eng, err := bot.New(pack)
	if err != nil {
		panic(err)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	a, err := discord.New(discord.Config{Token: os.Getenv(discord.TokenEnv)}, eng, discord.WithLogger(log))
	if err != nil {
		log.Error("discord", "err", err)
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := a.Run(ctx); err != nil {
		log.Error("discord", "err", err)
	}
}
