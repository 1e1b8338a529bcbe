package abi

// Guest memory layout for wasm32 (ILP32, little-endian): pointers, int and
// size_t are 4 bytes; long long is 8 bytes and 8-aligned.

// PointerSize is the size of a guest pointer (const char *, void *).
const PointerSize = 4

// MaxHeaders is CivetWeb's MG_MAX_HEADERS: the capacity of
// mg_request_info.http_headers. Requests with more headers are answered by the
// host with 431 before any guest code runs.
const MaxHeaders = 64

// RemoteAddrSize is the size of the char remote_addr[48] array.
const RemoteAddrSize = 48

// Offsets of the fields of struct mg_request_info (CivetWeb 1.15 field order).
// Pointer fields hold guest addresses; 0 is NULL.
const (
	RequestInfoRequestMethod = 0   // const char *request_method
	RequestInfoRequestURI    = 4   // const char *request_uri
	RequestInfoLocalURIRaw   = 8   // const char *local_uri_raw
	RequestInfoLocalURI      = 12  // const char *local_uri
	RequestInfoHTTPVersion   = 16  // const char *http_version
	RequestInfoQueryString   = 20  // const char *query_string, NULL without '?'
	RequestInfoRemoteUser    = 24  // const char *remote_user, always NULL in v1
	RequestInfoRemoteAddr    = 28  // char remote_addr[48]
	RequestInfoContentLength = 80  // long long content_length, -1 if unknown
	RequestInfoRemotePort    = 88  // int remote_port
	RequestInfoServerPort    = 92  // int server_port
	RequestInfoIsSSL         = 96  // int is_ssl
	RequestInfoUserData      = 100 // void *user_data, guest-owned: host writes 0
	RequestInfoConnData      = 104 // void *conn_data, guest-owned: host writes 0
	RequestInfoNumHeaders    = 108 // int num_headers
	RequestInfoHTTPHeaders   = 112 // struct mg_header http_headers[64]
	RequestInfoClientCert    = 624 // struct mg_client_cert *, always NULL in v1
	RequestInfoWSSubprotocol = 628 // const char *acceptedWebSocketSubprotocol, NULL
	RequestInfoSize          = 632 // sizeof(struct mg_request_info)
	RequestInfoAlign         = 8   // _Alignof(struct mg_request_info)
	HeaderName               = 0   // struct mg_header: const char *name
	HeaderValue              = 4   // struct mg_header: const char *value
	HeaderSize               = 8   // sizeof(struct mg_header)
	RequestServerAddr        = 632 // struct civetbox_request: const char *server_addr
	RequestReserved          = 636 // struct civetbox_request: int reserved, 0
	RequestSize              = 640 // sizeof(struct civetbox_request)
	RequestStringsOffset     = RequestSize
	requestInfoHeadersEnd    = RequestInfoHTTPHeaders + MaxHeaders*HeaderSize
)

// Compile-time guard: the header array must end where client_cert starts.
var _ = [1]struct{}{}[requestInfoHeadersEnd-RequestInfoClientCert]
