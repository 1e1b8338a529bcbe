package route

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// reg is one mg_set_request_handler call; handler 0 removes.
type reg struct {
	uri             string
	handler, cbdata uint32
}

// build registers regs in order, as a guest's civetbox_init would.
func build(regs ...reg) *Table {
	var t Table
	for _, r := range regs {
		t.SetHandler(r.uri, r.handler, r.cbdata)
	}
	return &t
}

// add registers uri with handler h and cbdata 100+h, so tests can tell
// handlers apart by either value.
func add(uri string, h uint32) reg { return reg{uri, h, 100 + h} }

func remove(uri string) reg { return reg{uri, 0, 0} }

var matchCases = []struct {
	name     string
	regs     []reg
	localURI string
	want     uint32 // handler, 0 for no match
}{
	// Pass 1, exact match, beats everything registered before it.
	{"exact", []reg{add("/a", 1)}, "/a", 1},
	{"exact beats an earlier prefix", []reg{add("/a", 1), add("/a/b", 2)}, "/a/b", 2},
	{"exact beats an earlier pattern", []reg{add("/a**", 1), add("/a/b", 2)}, "/a/b", 2},
	{"exact is case-sensitive", []reg{add("/x**", 1), add("/API", 2)}, "/api", 2}, // found by the pattern pass
	{"exact upper case", []reg{add("/a**", 1), add("/API", 2)}, "/API", 2},
	{"exact lower case goes to the pattern pass", []reg{add("/a**", 1), add("/API", 2)}, "/api", 1},
	{"exact match of a pattern's text", []reg{add("/x", 1), add("/a*", 2)}, "/a*", 2},

	// Pass 2, "uri/" prefix, in registration order (not the longest).
	{"prefix", []reg{add("/a", 1)}, "/a/b", 1},
	{"prefix, first registered wins", []reg{add("/a", 1), add("/a/b", 2)}, "/a/b/c", 1},
	{"prefix, longer registered first", []reg{add("/a/b", 2), add("/a", 1)}, "/a/b/c", 2},
	{"prefix beats an earlier pattern", []reg{add("/a**", 1), add("/a/b", 2)}, "/a/b/c", 2},
	{"prefix needs a slash boundary", []reg{add("/abc", 2), add("/a", 1)}, "/abd", 1}, // pattern pass
	{"prefix with slash boundary", []reg{add("/a", 1), add("/abc", 2)}, "/abc/x", 2},
	{"prefix is case-sensitive", []reg{add("/A", 1), add("/a/b", 2)}, "/a/b/c", 2},
	{"prefix upper case", []reg{add("/A", 1), add("/a/b", 2)}, "/A/c", 1},
	{"prefix of the root", []reg{add("/x", 1), add("/", 2)}, "//x", 2},
	{"empty route is a prefix of every path", []reg{add("/a**", 1), add("", 2)}, "/a", 2},
	{"empty route does not beat an exact match", []reg{add("", 2), add("/never", 3)}, "/never", 3},
	{"empty route beats a later prefix", []reg{add("", 2), add("/never", 3)}, "/never/x", 2},
	{"empty route and empty local_uri", []reg{add("", 2)}, "", 2}, // exact

	// Pass 3, patterns, in registration order.
	{"pattern", []reg{add("**.png$", 1)}, "/img/a.png", 1},
	{"pattern, first registered wins", []reg{add("/x**", 1), add("/x*", 2)}, "/x/y", 1},
	{"pattern, first registered wins, reversed", []reg{add("/x*", 2), add("/x**", 1)}, "/x/y", 2},
	{"pattern is case-insensitive", []reg{add("/A", 1)}, "/ab", 1},
	{"route is a plain prefix in the pattern pass", []reg{add("/a", 1)}, "/abc", 1},
	{"slash catches everything", []reg{add("/never$", 1), add("/", 2)}, "/anything", 2},
	{"trailing slash route", []reg{add("/dir/", 1)}, "/dir/x", 1},
	{"trailing slash route without the slash", []reg{add("/dir/", 1)}, "/dir", 0},
	{"alternatives", []reg{add("*.txt|**.md", 1)}, "/docs/a.md", 1},
	{"star does not cross a slash", []reg{add("/a*$", 1)}, "/a/b", 0},
	{"question mark needs a character", []reg{add("/a?", 1)}, "/a", 0},
	{"dollar alone never matches a path", []reg{add("$", 1)}, "/", 0},
	{"empty pattern is never a pattern match", []reg{add("", 1)}, "x", 0},
	{"match of zero length is no match", []reg{add("|", 1), add("$|x", 2)}, "/y", 0},

	// Nothing registered, nothing matches.
	{"empty table", nil, "/", 0},
	{"no route matches", []reg{add("/a", 1), add("/b**", 2)}, "/c", 0},

	// Replacement keeps the position; removal and re-adding move a route.
	{"replacement keeps position", []reg{add("/p**", 1), add("/p/q**", 2), add("/p**", 3)}, "/p/q/r", 3},
	{"removal lets a later route match", []reg{add("/p**", 1), add("/p/q**", 2), remove("/p**")}, "/p/q/r", 2},
	{"re-adding goes last", []reg{add("/p**", 1), add("/p/q**", 2), remove("/p**"), add("/p**", 3)}, "/p/q/r", 2},
	{"re-added route still matches its own paths", []reg{add("/p**", 1), add("/p/q**", 2), remove("/p**"), add("/p**", 3)}, "/pz", 3},
	{"removing a missing route changes nothing", []reg{add("/p**", 1), remove("/q**")}, "/p", 1},
	{"removing everything", []reg{add("/p", 1), remove("/p")}, "/p", 0},
	{"removal needs the exact uri", []reg{add("/p", 1), remove("/P")}, "/p", 1},
}

func TestMatch(t *testing.T) {
	for _, c := range matchCases {
		t.Run(c.name, func(t *testing.T) {
			table := build(c.regs...)
			r, ok := table.Match(c.localURI)
			if c.want == 0 {
				require.False(t, ok, "Match(%q) = %+v, want no match", c.localURI, r)
				require.Equal(t, Route{}, r)
				return
			}
			require.True(t, ok, "Match(%q): no match, want handler %d", c.localURI, c.want)
			require.Equal(t, c.want, r.Handler, "Match(%q) = %+v", c.localURI, r)
			require.Equal(t, 100+c.want, r.CBData, "Match(%q) = %+v", c.localURI, r)
		})
	}
}

func TestSetHandler(t *testing.T) {
	cases := []struct {
		name string
		regs []reg
		want []Route
	}{
		{"empty", nil, nil},
		{"adds in order", []reg{add("/a", 1), add("/b", 2), add("/c", 3)},
			[]Route{{"/a", 1, 101}, {"/b", 2, 102}, {"/c", 3, 103}}},
		{"replacement keeps the position and updates handler and cbdata",
			[]reg{add("/a", 1), add("/b", 2), add("/c", 3), {"/b", 7, 9}},
			[]Route{{"/a", 1, 101}, {"/b", 7, 9}, {"/c", 3, 103}}},
		{"replacement with the same handler updates cbdata",
			[]reg{add("/a", 1), {"/a", 1, 5}},
			[]Route{{"/a", 1, 5}}},
		{"remove first", []reg{add("/a", 1), add("/b", 2), add("/c", 3), remove("/a")},
			[]Route{{"/b", 2, 102}, {"/c", 3, 103}}},
		{"remove middle", []reg{add("/a", 1), add("/b", 2), add("/c", 3), remove("/b")},
			[]Route{{"/a", 1, 101}, {"/c", 3, 103}}},
		{"remove last", []reg{add("/a", 1), add("/b", 2), add("/c", 3), remove("/c")},
			[]Route{{"/a", 1, 101}, {"/b", 2, 102}}},
		{"remove missing", []reg{add("/a", 1), remove("/z")},
			[]Route{{"/a", 1, 101}}},
		{"remove from an empty table", []reg{remove("/z")}, nil},
		{"handler 0 with cbdata does not add", []reg{{"/a", 0, 5}}, nil},
		{"remove twice", []reg{add("/a", 1), add("/b", 2), remove("/a"), remove("/a")},
			[]Route{{"/b", 2, 102}}},
		{"re-add after removal goes last", []reg{add("/a", 1), add("/b", 2), remove("/a"), add("/a", 3)},
			[]Route{{"/b", 2, 102}, {"/a", 3, 103}}},
		{"uris are compared exactly", []reg{add("/a", 1), add("/A", 2), add("/a/", 3), add("", 4)},
			[]Route{{"/a", 1, 101}, {"/A", 2, 102}, {"/a/", 3, 103}, {"", 4, 104}}},
		{"empty uri is a route like any other", []reg{add("", 1), {"", 2, 0}},
			[]Route{{"", 2, 0}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			table := build(c.regs...)
			require.Equal(t, c.want, table.Routes())
			require.Equal(t, len(c.want), table.Len())
		})
	}
}

func TestRoutesAndCloneAreCopies(t *testing.T) {
	table := build(add("/a", 1), add("/b", 2), add("/c", 3))
	routes := table.Routes()
	clone := table.Clone()

	routes[0].Handler = 99
	table.SetHandler("/a", 0, 0) // shifts the table's backing array
	table.SetHandler("/b", 8, 8)

	require.Equal(t, uint32(99), routes[0].Handler)
	require.Equal(t, []Route{{"/a", 99, 101}, {"/b", 2, 102}, {"/c", 3, 103}}, routes)
	require.Equal(t, []Route{{"/a", 1, 101}, {"/b", 2, 102}, {"/c", 3, 103}}, clone.Routes())
	require.Equal(t, []Route{{"/b", 8, 8}, {"/c", 3, 103}}, table.Routes())

	clone.SetHandler("/d", 4, 4)
	require.Equal(t, 2, table.Len())
	require.Equal(t, 4, clone.Len())
}

func TestZeroTable(t *testing.T) {
	var table Table
	require.Zero(t, table.Len())
	require.Empty(t, table.Routes())
	_, ok := table.Match("/")
	require.False(t, ok)
	clone := table.Clone()
	require.Zero(t, clone.Len())
}

func TestReset(t *testing.T) {
	var tab Table
	tab.SetHandler("/a", 1, 10)
	tab.SetHandler("/b", 2, 20)
	tab.Reset()
	require.Zero(t, tab.Len())
	_, ok := tab.Match("/a")
	require.False(t, ok, "a reset table keeps no route")
	tab.SetHandler("/c", 3, 30)
	require.Equal(t, []Route{{URI: "/c", Handler: 3, CBData: 30}}, tab.Routes())
}
