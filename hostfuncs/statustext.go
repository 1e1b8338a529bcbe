package hostfuncs

// StatusText returns CivetWeb 1.15's reason phrase for an HTTP status code
// (mg_get_response_code_text): its own table, then a class name ("Client
// Error") for other codes in 100-599, else "". Error bodies use it, so they
// match CivetWeb byte for byte; guests/c has the same table for guests, and a
// test checks both against libcivetweb.
func StatusText(code int) string {
	if text, ok := statusText[code]; ok {
		return text
	}
	if code >= 100 && code < 600 {
		return statusClass[code/100-1]
	}
	return ""
}

var statusClass = [...]string{"Information", "Success", "Redirection", "Client Error", "Server Error"}

var statusText = map[int]string{
	100: "Continue",
	101: "Switching Protocols",
	102: "Processing",
	200: "OK",
	201: "Created",
	202: "Accepted",
	203: "Non-Authoritative Information",
	204: "No Content",
	205: "Reset Content",
	206: "Partial Content",
	207: "Multi-Status",
	208: "Already Reported",
	226: "IM used",
	300: "Multiple Choices",
	301: "Moved Permanently",
	302: "Found",
	303: "See Other",
	304: "Not Modified",
	305: "Use Proxy",
	307: "Temporary Redirect",
	308: "Permanent Redirect",
	400: "Bad Request",
	401: "Unauthorized",
	402: "Payment Required",
	403: "Forbidden",
	404: "Not Found",
	405: "Method Not Allowed",
	406: "Not Acceptable",
	407: "Proxy Authentication Required",
	408: "Request Time-out",
	409: "Conflict",
	410: "Gone",
	411: "Length Required",
	412: "Precondition Failed",
	413: "Request Entity Too Large",
	414: "Request-URI Too Large",
	415: "Unsupported Media Type",
	416: "Requested range not satisfiable",
	417: "Expectation Failed",
	418: "I am a teapot",
	419: "Authentication Timeout",
	420: "Enhance Your Calm",
	421: "Misdirected Request",
	422: "Unproccessable entity",
	423: "Locked",
	424: "Failed Dependency",
	426: "Upgrade Required",
	428: "Precondition Required",
	429: "Too Many Requests",
	431: "Request Header Fields Too Large",
	440: "Login Timeout",
	451: "Unavailable For Legal Reasons",
	500: "Internal Server Error",
	501: "Not Implemented",
	502: "Bad Gateway",
	503: "Service Unavailable",
	504: "Gateway Time-out",
	505: "HTTP Version not supported",
	506: "Variant Also Negotiates",
	507: "Insufficient Storage",
	508: "Loop Detected",
	509: "Bandwidth Limit Exceeded",
	510: "Not Extended",
	511: "Network Authentication Required",
}
