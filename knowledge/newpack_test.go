package knowledge_test

import (
	"testing"

	"kazbot/knowledge"
)

func TestNewPackBuildsLookups(t *testing.T) {
	p := knowledge.NewPack(knowledge.Pack{Topics: []knowledge.Topic{{ID: "t"}, {ID: "u"}}}, []knowledge.Fact{
		{ID: "a", Topic: "t", Date: "2001"},
		{ID: "b", Topic: "u"},
		{ID: "c", Topic: "t", Date: "1999-05"},
	})
	if f, ok := p.Fact("b"); !ok || f.Topic != "u" {
		t.Errorf("Fact(b) = %+v, %v", f, ok)
	}
	if _, ok := p.Fact("z"); ok {
		t.Error("Fact(z) found a fact")
	}
	if got := p.FactsInTopic("t"); len(got) != 2 || got[0].ID != "a" || got[1].ID != "c" {
		t.Errorf("FactsInTopic(t) = %+v", got)
	}
	if got := p.Timeline(); len(got) != 2 || got[0].ID != "c" {
		t.Errorf("Timeline() = %+v", got)
	}
}
