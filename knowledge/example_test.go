package knowledge_test

import (
	"fmt"
	"testing/fstest"

	"kazbot/knowledge"
)

func ExampleLoad() {
	pack := fstest.MapFS{
		"pack.yaml": {Data: []byte(`
name: demo
title: A demo pack
sections: [Kazakhstan and the United Nations]
topics:
  - id: united-nations
    title: United Nations
    description: Membership and the Security Council.
`)},
		"un.yaml": {Data: []byte(`
facts:
  - id: un-membership
    topic: united-nations
    question: When did Kazakhstan join the United Nations?
    alternates: [kazakhstan un membership, when did kz join the un, un accession, joined the un]
    answer: Kazakhstan joined the United Nations in March 1992.
    source: Kazakhstan and the United Nations
    date: 1992-03
`)},
	}
	p, err := knowledge.Load(pack)
	if err != nil {
		fmt.Println(err)
		return
	}
	f, _ := p.Fact("un-membership")
	fmt.Println(f.Date, f.Answer)

	// A broken pack reports every problem with its file, line and field.
	pack["un.yaml"] = &fstest.MapFile{Data: []byte(`
facts:
  - id: un-membership
    topic: un
    question: When did Kazakhstan join the United Nations?
    alternates: [kazakhstan un membership, when did kz join the un, un accession, joined the un]
    answer: Kazakhstan joined the United Nations in March 1992.
    source: Kazakhstan and the United Nations
    date: March 1992
`)}
	_, err = knowledge.Load(pack)
	fmt.Println(err)
	// Output:
	// 1992-03 Kazakhstan joined the United Nations in March 1992.
	// un.yaml:4: facts[0].topic: unknown topic "un" (topics are listed in pack.yaml)
	// un.yaml:9: facts[0].date: malformed date "March 1992": want YYYY or YYYY-MM
}
