package abi

// Return codes of host functions. They are CivetWeb's own values, so a ported
// handler's error checks keep working. A host function never reports a bad
// guest pointer through a code: it traps (see doc.go, "Traps").
const (
	// CodeOK is success for functions that do not return a byte count.
	CodeOK int32 = 0

	// CodeClosed is what mg_read returns at the end of the body and mg_write
	// returns when the client has gone.
	CodeClosed int32 = 0

	// CodeError is a failed read or write: I/O error, the request deadline,
	// a body over the size limit, or a response the host refused.
	CodeError int32 = -1

	// CodeParamError is CivetWeb's "parameter error": a status outside
	// 100-999, an invalid header name or value, an unsupported redirect code
	// (-2 for mg_send_http_redirect, as in CivetWeb).
	CodeParamError int32 = -1

	// CodeRedirectParamError is mg_send_http_redirect's parameter error.
	CodeRedirectParamError int32 = -2

	// CodeInvalidState is CivetWeb's "invalid connection status": response
	// headers started or sent out of order.
	CodeInvalidState int32 = -3

	// CodeTooManyHeaders is returned when a response would exceed
	// MaxHeaders header lines.
	CodeTooManyHeaders int32 = -4
)

// Handler results, returned by the guest's request handler through
// ExportDispatch (CivetWeb's mg_request_handler convention).
const (
	// HandlerNotHandled (or any value <= 0) means the handler declined the
	// request; the host answers 404 if nothing was sent.
	HandlerNotHandled int32 = 0
	// HandlerMaxStatus is the largest result CivetWeb documents; results
	// 1-999 mean handled and are logged as the response status.
	HandlerMaxStatus int32 = 999
)
