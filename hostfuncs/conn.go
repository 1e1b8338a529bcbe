package hostfuncs

import "errors"

// Conn is one HTTP request and its response, as host functions see them.
// runtime implements it over net/http. Methods are called from one guest call
// at a time.
type Conn interface {
	// Info describes the request. It is computed once per request.
	Info() *RequestInfo

	// ReadBody reads the decoded request body into p. It returns io.EOF at
	// the end of the body and honours the request deadline.
	ReadBody(p []byte) (int, error)

	// Write takes raw response bytes as a CivetWeb handler writes them (an
	// optional HTTP/1.x head, then the body, chunk-framed if the head said
	// so). An error means the bytes were refused or could not be sent.
	Write(p []byte) error

	// StartResponse, AddHeader and SendHeaders build a response head
	// (mg_response_header_start/add/send). Their errors wrap ErrState,
	// ErrTooManyHeaders or ErrBadHeader.
	StartResponse(status int) error
	AddHeader(name, value string) error
	SendHeaders() error
}

// RequestInfo is struct mg_request_info (plus the local address) as Go values.
// See abi/layout.go for the guest-side layout and CivetWeb's meaning of each
// field.
type RequestInfo struct {
	Method      string
	RequestURI  string // decoded request target without the query
	LocalURIRaw string // decoded path on this server
	LocalURI    string // LocalURIRaw without dot segments
	HasLocalURI bool   // false for "*" and foreign absolute-form targets
	HTTPVersion string // "1.0", "1.1", "2.0"
	QueryString string
	HasQuery    bool // false means query_string is NULL
	RemoteAddr  string
	RemotePort  int
	ServerAddr  string
	ServerPort  int
	IsSSL       bool
	// ContentLength is the request body length, -1 if unknown (chunked).
	ContentLength int64
	// Headers holds at most abi.MaxHeaders fields.
	Headers []Header
}

// Header is one request header field.
type Header struct{ Name, Value string }

// Errors a Conn's response methods report (wrapped), mapped to CivetWeb's
// response-API codes.
var (
	// ErrState is a call out of order, "invalid connection status" (-3).
	ErrState = errors.New("hostfuncs: response call out of order")
	// ErrTooManyHeaders is a head over abi.MaxHeaders lines (-4).
	ErrTooManyHeaders = errors.New("hostfuncs: too many response headers")
	// ErrBadHeader is a status or header the host refuses: a name that is
	// not an HTTP token, a value with CR, LF or NUL (-1).
	ErrBadHeader = errors.New("hostfuncs: malformed response header")
)
