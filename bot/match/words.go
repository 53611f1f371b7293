package match

// stopWords carry no topic: function words, chat filler and generic verbs
// of asking. Question words are stop words too; intent reads them before
// they are dropped.
var stopWords = setOf(
	// function words
	"a", "an", "the", "and", "or", "but", "if", "of", "in", "on", "at", "to", "for", "from", "by",
	"with", "about", "as", "into", "onto", "than", "then", "so", "such", "too", "very", "just",
	"this", "that", "these", "those", "there", "here", "it", "its", "itself", "they", "them",
	"their", "theirs", "he", "him", "his", "she", "her", "hers", "we", "our", "ours", "i", "me",
	"my", "mine", "you", "your", "yours", "u", "ur", "ya", "us", "one", "ones", "any", "some", "all",
	"each", "every", "both", "either", "neither", "other", "others", "another", "same",
	"own", "also", "still", "yet", "ever", "even", "again", "already", "only", "really",
	"is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "doing", "done",
	"have", "has", "had", "having", "will", "would", "shall", "should", "can", "could", "may",
	"might", "must", "not", "no", "nor", "don", "didn", "doesn", "isn", "wasn", "aren", "weren",
	"hasn", "haven", "hadn", "won", "wouldn", "couldn", "shouldn", "ain", "get", "got", "gets",
	"getting", "go", "goes", "went", "put",
	"what", "whats", "which", "who", "whom", "whose", "when", "where", "why", "how", "whether",
	"while", "during", "over", "under", "up", "down", "out", "off", "through", "via", "per",
	"because", "since", "until", "till", "after", "before", "between", "among", "against",
	"there", "thing", "things", "stuff", "way", "ways", "kind", "sort", "lot", "lots",
	// chat filler and the language of asking
	"please", "pls", "plz", "pl", "kindly", "tell", "know", "knows", "known", "say", "said",
	"says", "ask", "asking", "asked", "question", "questions", "quick", "q", "answer", "info",
	"information", "explain", "describe", "want", "wanna", "gonna", "need", "like", "think",
	"wonder", "wondering", "curious", "hey", "hi", "hello", "yo", "ok", "okay", "oh", "ah", "um",
	"uh", "hmm", "lol", "btw", "eli5", "tldr", "tl", "ngl", "tbh", "imo", "imho", "rn", "idk", "iirc",
	"afaik", "fyi", "bro", "dude", "guys", "folks", "pal", "mate", "sir", "bot",
	"kazbot", "right", "yes", "yeah", "yep", "nope", "actually", "basically", "exactly", "really",
	"anyway", "something", "anything", "everything", "somebody", "anyone", "someone", "thanks",
	"thank", "thx", "cheers", "happen", "happened", "happens", "fact", "facts", "true", "correct",
	"mean", "means", "meant", "much", "many", "well", "now", "today", "currently", "nowadays",
	"exist", "exists", "existed", "regarding", "concerning", "re", "etc", "ll", "ve", "d",
	"s", "t", "m", "let", "lets", "make", "made", "makes", "give", "gave", "given",
	"find", "look", "looking", "see", "show", "remind", "check", "confirm", "figure", "sure",
	"back", "lately", "days", "nowadays", "sorry", "bother", "maybe", "perhaps", "probably",
	"else", "exactly", "simply", "briefly", "short", "summary", "roughly", "approximately", "about",
	"once", "twice", "closely", "directly", "mainly", "mostly", "largely", "primarily", "chiefly", "particularly",
	"especially", "generally", "usually", "truly", "quite", "rather", "pretty", "somewhat",
	"receive", "received", "receives", "obtain", "obtained", "acquire", "acquired", "gain", "gained",
	"secure", "secured", "mention", "mentions", "mentioned", "mentioning", "abt", "w", "govt", "gov", "intl", "cuz", "coz", "bc", "tho", "thru", "ppl",
)

// smalltalk vocabulary: a message made only of these words (and stop
// words) is chit-chat, not a question.
var (
	greetingWords = setOf("hi", "hello", "hey", "heya", "hiya", "howdy", "greetings", "yo", "sup",
		"salem", "salam", "salaam", "privet", "morning", "evening", "afternoon", "good", "day", "gday")
	thanksWords   = setOf("thanks", "thank", "thx", "ty", "cheers", "appreciate", "appreciated", "grateful", "tnx", "tysm")
	reactionWords = setOf("interesting", "wow", "hmm", "hm", "huh", "neat", "amazing", "fascinating", "lol", "lmao",
		"haha", "ok", "okay", "k", "kk", "cool", "nice", "great", "gotcha", "sense", "noted", "fair", "enough", "see", "got",
		"wild", "crazy", "damn", "whoa", "oh", "ah", "right", "true", "indeed", "agreed", "sure", "makes")
	goodbyeWords = setOf("bye", "goodbye", "cya", "later", "farewell", "night", "goodnight", "see")
	helpWords    = setOf("help", "commands", "command", "usage", "use", "how", "work", "works", "instructions", "menu", "start")
	selfWords    = setOf("you", "your", "yourself", "name", "bot", "kazbot", "robot", "ai", "human", "who", "what", "are", "made", "created", "built")
	fillerWords  = setOf("a", "the", "there", "so", "much", "very", "lot", "again", "all", "for", "to",
		"me", "i", "it", "that", "this", "is", "are", "do", "can", "what", "how", "oh", "ok", "okay",
		"great", "nice", "cool", "awesome", "thanks", "please", "just", "and", "guys", "everyone",
		"folks", "friend", "mate", "buddy", "bro", "dude", "man", "kazbot", "bot", "one", "you",
		"be", "of", "with", "in", "on", "my", "we", "us", "going", "have", "has", "doing", "things",
		"up", "im", "am", "fine", "well", "know", "tell", "about", "yourself", "anything", "stuff", "else")
)

// monthNames name the months, for dates given to the day.
var monthNames = setOf("january", "february", "march", "april", "may", "june", "july", "august",
	"september", "october", "november", "december")

// quantityWords ask for a figure: "what is the budget of ...".
var quantityWords = setOf("budget", "cost", "costs", "price", "prices", "population", "output",
	"production", "revenue", "revenues", "salary", "volume", "gdp", "income", "turnover", "reserves",
	"capacity", "size", "area", "length", "height", "depth", "distance", "total", "sum", "figure")

// cityNames are cities an answer may name: where something happened.
var cityNames = setOf("astana", "almaty", "khorgos", "shymkent", "aktau", "semey", "karaganda", "turkestan",
	"moscow", "beijing", "washington", "ankara", "istanbul", "vienna", "tashkent", "bishkek", "dushanbe",
	"ashgabat", "minsk", "yerevan", "baku", "tbilisi", "kyiv", "geneva", "brussels", "london", "paris",
	"berlin", "tehran", "kabul", "delhi", "tokyo", "seoul", "urumqi", "sochi", "helsinki")

// lengthWords are the quantityWords that measure a length.
var lengthWords = setOf("length", "distance", "height", "depth")

// figureOnly are the quantityWords that ask for a figure wherever they
// stand; the others may name a kind or an idea ("what area", "keep its
// distance").
var figureOnly = setOf("budget", "population", "output", "revenue", "revenues", "volume", "gdp", "turnover", "length")

// lengthUnits measure length or time: "how long" wants one of them.
var lengthUnits = setOf("km", "kilometre", "kilometres", "kilometer", "kilometers", "mile", "miles",
	"metre", "metres", "meter", "meters", "year", "years", "month", "months", "week", "weeks",
	"day", "days", "hour", "hours", "decade", "decades", "century", "centuries")

// numberWords spell small numbers; an answer containing one states a
// number.
var numberWords = setOf("two", "three", "four", "five", "six", "seven", "eight", "nine",
	"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
	"eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "hundred", "thousand",
	"million", "billion", "percent")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
