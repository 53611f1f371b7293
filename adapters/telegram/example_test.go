package telegram_test

import (
	"context"
	"log"
	"log/slog"
	"os"
	"os/signal"

	"kazbot/adapters/telegram"
	"kazbot/bot"
	"kazbot/knowledge"
)

// The adapter answers with any engine; cmd/kazbot wires it like this.
func ExampleNew() {
	pack, err := knowledge.Embedded()
	if err != nil {
		log.Fatal(err)
	}
	eng, err := bot.New(pack)
	if err != nil {
		log.Fatal(err)
	}
	a, err := telegram.New(telegram.Config{
		Token: os.Getenv(telegram.TokenEnv),
		// APIURL: "http://127.0.0.1:8081" for a self-hosted Bot API server.
	}, eng, telegram.WithLogger(slog.Default()))
	if err != nil {
		log.Fatal(err) // names the bad key, e.g. telegram.token
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := a.Run(ctx); err != nil {
		log.Fatal(err) // e.g. the token was rejected
	}
}
