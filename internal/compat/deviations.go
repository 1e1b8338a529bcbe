package compat

// Deviation is one kind of difference between civetbox and CivetWeb 1.15 a
// client can observe. Test cases declare every difference they expect by
// its exact description and the Name of its kind; a difference no case
// declares fails the suite.
type Deviation struct {
	// Name identifies the kind in test cases.
	Name string
	// Explanation says what differs and why, for the README.
	Explanation string
	// README reports whether the README's list of differences already
	// covers it.
	README bool
	// Bug marks a difference that looks like a civetbox bug rather than an
	// intended behaviour: kept here, with what CivetWeb does, until it is
	// fixed (then its cases must be updated).
	Bug bool
}

// Deviations lists every kind of difference the compat suite expects, in
// the order a README would present them.
var Deviations = []Deviation{}
