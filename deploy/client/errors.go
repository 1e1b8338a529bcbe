package client

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Error is an error answer of the server: the request was understood and
// refused (4xx) or failed on the server (5xx).
type Error struct {
	Status  int    // HTTP status
	Code    string // api.Code*; "" when the body was not an API error
	Message string // the server's message, or the start of a non-API body
}

func (e *Error) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("client: %d %s: %s", e.Status, http.StatusText(e.Status), e.Message)
	}
	return fmt.Sprintf("client: %d %s: %s", e.Status, e.Code, e.Message)
}

// TransportError is a request that got no usable answer: the server could
// not be reached, TLS failed, the request timed out or the answer was not
// readable.
type TransportError struct {
	Method string
	URL    string // without query
	Err    error
}

func (e *TransportError) Error() string {
	return fmt.Sprintf("client: %s %s: %v", e.Method, e.URL, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// transportError wraps err, unwrapping the *url.Error http.Client makes so
// the URL is not said twice.
func transportError(req *http.Request, err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		err = ue.Err
	}
	u := *req.URL
	u.RawQuery = ""
	return &TransportError{Method: req.Method, URL: u.Redacted(), Err: err}
}

// maxErrorText is how much of a non-API error body goes into Error.Message.
const maxErrorText = 200

// errorMessage makes a one-line printable message of a body that is not an
// API error, such as a proxy's HTML page.
func errorMessage(status int, body []byte, location string) string {
	text := strings.Join(strings.Fields(strings.Map(printable, string(body))), " ")
	if r := []rune(text); len(r) > maxErrorText {
		text = string(r[:maxErrorText]) + "…"
	}
	if location != "" {
		text = strings.TrimSpace("redirected to " + location + " (use that as the admin URL) " + text)
	}
	if text == "" {
		text = http.StatusText(status)
	}
	return text + " (not an admin API answer)"
}

// printable keeps a server's text from moving the cursor or colouring a
// terminal: control characters become spaces.
func printable(r rune) rune {
	if isControl(r) || r == 0x9b {
		return ' '
	}
	return r
}
