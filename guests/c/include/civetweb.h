/* civetweb.h for civetbox guests.
 *
 * Declares the CivetWeb 1.15 C API with CivetWeb's names, types, struct
 * fields and constants, so a handler written for CivetWeb compiles unchanged
 * against it for wasm32-wasi. What the sandbox implements, and how it
 * differs, is listed in the civetbox README ("CivetWeb API in the sandbox").
 * What a sandboxed handler cannot do (network clients, websockets, threads,
 * starting servers) links but fails at run time with CivetWeb's error value
 * and a log line. Only the MG_EXPERIMENTAL_INTERFACES functions, which
 * Debian's libcivetweb does not export either, fail at link time.
 *
 * Porting a CivetWeb program: keep the handlers as they are and replace
 * main() (mg_start, the wait loop, mg_stop) by
 *
 *     int civetbox_init(struct mg_context *ctx)
 *     {
 *         mg_set_request_handler(ctx, "/hello", hello_handler, NULL);
 *         return 0;
 *     }
 *
 * The host calls civetbox_init once per instance, before any request.
 */

#ifndef CIVETWEB_HEADER_INCLUDED
#define CIVETWEB_HEADER_INCLUDED

#define CIVETWEB_VERSION "1.15"
#define CIVETWEB_VERSION_MAJOR (1)
#define CIVETWEB_VERSION_MINOR (15)
#define CIVETWEB_VERSION_PATCH (0)

/* The civetbox ABI this header belongs to (see package abi). */
#define CIVETBOX_ABI_VERSION (1)

#ifndef CIVETWEB_API
#define CIVETWEB_API __attribute__((visibility("default")))
#endif

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- civetbox entry point -------------------------------------------- */

struct mg_context;
struct mg_connection;

/* Supplied by the guest: register handlers with mg_set_request_handler.
 * Return 0 on success; anything else makes the host refuse the module. */
int civetbox_init(struct mg_context *ctx);

/* ---- library initialisation ------------------------------------------ */

enum {
	MG_FEATURES_DEFAULT = 0x0u,
	MG_FEATURES_FILES = 0x1u,
	MG_FEATURES_TLS = 0x2u,
	MG_FEATURES_SSL = 0x2u,
	MG_FEATURES_CGI = 0x4u,
	MG_FEATURES_IPV6 = 0x8u,
	MG_FEATURES_WEBSOCKET = 0x10u,
	MG_FEATURES_LUA = 0x20u,
	MG_FEATURES_SSJS = 0x40u,
	MG_FEATURES_CACHE = 0x80u,
	MG_FEATURES_STATS = 0x100u,
	MG_FEATURES_COMPRESSION = 0x200u,
	MG_FEATURES_HTTP2 = 0x400u,
	MG_FEATURES_X_DOMAIN_SOCKET = 0x800u,
	MG_FEATURES_ALL = 0xFFFFu
};

CIVETWEB_API unsigned mg_init_library(unsigned features);
CIVETWEB_API unsigned mg_exit_library(void);

/* ---- request and response description --------------------------------- */

#define MG_MAX_HEADERS (64)

struct mg_header {
	const char *name;
	const char *value;
};

/* Filled in by the host; see abi/layout.go for the wasm32 layout. */
struct mg_request_info {
	const char *request_method;
	const char *request_uri;   /* decoded target, without the query */
	const char *local_uri_raw; /* decoded local path, NULL for "*" */
	const char *local_uri;     /* local_uri_raw without dot segments */
	const char *http_version;  /* "1.0", "1.1", "2.0" */
	const char *query_string;  /* raw query without '?', or NULL */
	const char *remote_user;   /* always NULL in civetbox */
	char remote_addr[48];
	long long content_length; /* -1 without a Content-Length header */
	int remote_port;
	int server_port;
	int is_ssl;
	void *user_data; /* the context's user data */
	void *conn_data; /* mg_set_user_connection_data */
	int num_headers;
	struct mg_header http_headers[MG_MAX_HEADERS];
	struct mg_client_cert *client_cert;        /* always NULL */
	const char *acceptedWebSocketSubprotocol; /* always NULL */
};

struct mg_response_info {
	int status_code;
	const char *status_text;
	const char *http_version;
	long long content_length;
	int num_headers;
	struct mg_header http_headers[MG_MAX_HEADERS];
};

struct mg_client_cert {
	void *peer_cert;
	const char *subject;
	const char *issuer;
	const char *serial;
	const char *finger;
};

/* ---- server start and callbacks (not used in the sandbox) ------------ */

struct mg_callbacks {
	int (*begin_request)(struct mg_connection *);
	void (*end_request)(const struct mg_connection *, int reply_status_code);
	int (*log_message)(const struct mg_connection *, const char *message);
	int (*log_access)(const struct mg_connection *, const char *message);
	int (*init_ssl)(void *ssl_ctx, void *user_data);
	int (*init_ssl_domain)(const char *server_domain,
	                       void *ssl_ctx,
	                       void *user_data);
	int (*external_ssl_ctx)(void **ssl_ctx, void *user_data);
	int (*external_ssl_ctx_domain)(const char *server_domain,
	                               void **ssl_ctx,
	                               void *user_data);
#if defined(MG_EXPERIMENTAL_INTERFACES)
	int (*websocket_data)(struct mg_connection *,
	                      int bits,
	                      char *data,
	                      size_t data_len);
#endif
	void (*connection_close)(const struct mg_connection *);
	void (*connection_closed)(const struct mg_connection *);
	void (*init_lua)(const struct mg_connection *conn,
	                 void *lua_context,
	                 unsigned context_flags);
	void (*exit_lua)(const struct mg_connection *conn,
	                 void *lua_context,
	                 unsigned context_flags);
	int (*http_error)(struct mg_connection *conn,
	                  int status,
	                  const char *errmsg);
	void (*init_context)(const struct mg_context *ctx);
	void (*exit_context)(const struct mg_context *ctx);
	void *(*init_thread)(const struct mg_context *ctx, int thread_type);
	void (*exit_thread)(const struct mg_context *ctx,
	                    int thread_type,
	                    void *thread_pointer);
	int (*init_connection)(const struct mg_connection *conn, void **conn_data);
};

CIVETWEB_API struct mg_context *mg_start(const struct mg_callbacks *callbacks,
                                         void *user_data,
                                         const char **configuration_options);
CIVETWEB_API void mg_stop(struct mg_context *);
CIVETWEB_API int mg_start_domain(struct mg_context *ctx,
                                 const char **configuration_options);

/* ---- handlers ---------------------------------------------------------- */

/* Returns 0 if the request was not handled, 1-999 if it was. */
typedef int (*mg_request_handler)(struct mg_connection *conn, void *cbdata);

/* Adds, replaces (same uri) or, with handler NULL, removes a route. Only
 * valid in civetbox_init. */
CIVETWEB_API void mg_set_request_handler(struct mg_context *ctx,
                                         const char *uri,
                                         mg_request_handler handler,
                                         void *cbdata);

typedef int (*mg_websocket_connect_handler)(const struct mg_connection *,
                                            void *);
typedef void (*mg_websocket_ready_handler)(struct mg_connection *, void *);
typedef int (*mg_websocket_data_handler)(struct mg_connection *,
                                         int,
                                         char *,
                                         size_t,
                                         void *);
typedef void (*mg_websocket_close_handler)(const struct mg_connection *,
                                           void *);

struct mg_websocket_subprotocols {
	int nb_subprotocols;
	const char **subprotocols;
};

CIVETWEB_API void
mg_set_websocket_handler(struct mg_context *ctx,
                         const char *uri,
                         mg_websocket_connect_handler connect_handler,
                         mg_websocket_ready_handler ready_handler,
                         mg_websocket_data_handler data_handler,
                         mg_websocket_close_handler close_handler,
                         void *cbdata);
CIVETWEB_API void mg_set_websocket_handler_with_subprotocols(
    struct mg_context *ctx,
    const char *uri,
    struct mg_websocket_subprotocols *subprotocols,
    mg_websocket_connect_handler connect_handler,
    mg_websocket_ready_handler ready_handler,
    mg_websocket_data_handler data_handler,
    mg_websocket_close_handler close_handler,
    void *cbdata);

typedef int (*mg_authorization_handler)(struct mg_connection *conn,
                                        void *cbdata);
CIVETWEB_API void mg_set_auth_handler(struct mg_context *ctx,
                                      const char *uri,
                                      mg_authorization_handler handler,
                                      void *cbdata);

/* ---- context and connection data -------------------------------------- */

CIVETWEB_API const char *mg_get_option(const struct mg_context *ctx,
                                       const char *name);
CIVETWEB_API struct mg_context *
mg_get_context(const struct mg_connection *conn);
CIVETWEB_API void *mg_get_user_data(const struct mg_context *ctx);
CIVETWEB_API void *mg_get_user_context_data(const struct mg_connection *conn);
CIVETWEB_API void *mg_get_thread_pointer(const struct mg_connection *conn);
CIVETWEB_API void mg_set_user_connection_data(const struct mg_connection *conn,
                                              void *data);
CIVETWEB_API void *
mg_get_user_connection_data(const struct mg_connection *conn);

/* Writes "http://host[:port]/local_uri" for the current request. Returns 0,
 * or -1 if buf is NULL, buflen is 0 or the link does not fit. */
CIVETWEB_API int
mg_get_request_link(const struct mg_connection *conn, char *buf, size_t buflen);

struct mg_option {
	const char *name;
	int type;
	const char *default_value;
};

enum {
	MG_CONFIG_TYPE_UNKNOWN = 0x0,
	MG_CONFIG_TYPE_NUMBER = 0x1,
	MG_CONFIG_TYPE_STRING = 0x2,
	MG_CONFIG_TYPE_FILE = 0x3,
	MG_CONFIG_TYPE_DIRECTORY = 0x4,
	MG_CONFIG_TYPE_BOOLEAN = 0x5,
	MG_CONFIG_TYPE_EXT_PATTERN = 0x6,
	MG_CONFIG_TYPE_STRING_LIST = 0x7,
	MG_CONFIG_TYPE_STRING_MULTILINE = 0x8,
	MG_CONFIG_TYPE_YES_NO_OPTIONAL = 0x9
};

CIVETWEB_API const struct mg_option *mg_get_valid_options(void);

struct mg_server_port {
	int protocol;
	int port;
	int is_ssl;
	int is_redirect;
	int _reserved1;
	int _reserved2;
	int _reserved3;
	int _reserved4;
};

#define mg_server_ports mg_server_port

CIVETWEB_API int mg_get_server_ports(const struct mg_context *ctx,
                                     int size,
                                     struct mg_server_port *ports);
CIVETWEB_API int mg_modify_passwords_file(const char *passwords_file_name,
                                          const char *realm,
                                          const char *user,
                                          const char *password);
CIVETWEB_API int mg_modify_passwords_file_ha1(const char *passwords_file_name,
                                              const char *realm,
                                              const char *user,
                                              const char *ha1);

/* ---- reading the request, writing the response ------------------------- */

CIVETWEB_API const struct mg_request_info *
mg_get_request_info(const struct mg_connection *);
CIVETWEB_API const struct mg_response_info *
mg_get_response_info(const struct mg_connection *);

/* Returns len, 0 if the client is gone, -1 on error. */
CIVETWEB_API int mg_write(struct mg_connection *, const void *buf, size_t len);

CIVETWEB_API int mg_websocket_write(struct mg_connection *conn,
                                    int opcode,
                                    const char *data,
                                    size_t data_len);
CIVETWEB_API int mg_websocket_client_write(struct mg_connection *conn,
                                           int opcode,
                                           const char *data,
                                           size_t data_len);

/* An instance serves one request at a time, so these only document intent. */
CIVETWEB_API void mg_lock_connection(struct mg_connection *conn);
CIVETWEB_API void mg_unlock_connection(struct mg_connection *conn);
CIVETWEB_API void mg_lock_context(struct mg_context *ctx);
CIVETWEB_API void mg_unlock_context(struct mg_context *ctx);

enum {
	MG_WEBSOCKET_OPCODE_CONTINUATION = 0x0,
	MG_WEBSOCKET_OPCODE_TEXT = 0x1,
	MG_WEBSOCKET_OPCODE_BINARY = 0x2,
	MG_WEBSOCKET_OPCODE_CONNECTION_CLOSE = 0x8,
	MG_WEBSOCKET_OPCODE_PING = 0x9,
	MG_WEBSOCKET_OPCODE_PONG = 0xa
};

#undef PRINTF_FORMAT_STRING
#define PRINTF_FORMAT_STRING(s) s
#ifdef __GNUC__
#define PRINTF_ARGS(x, y) __attribute__((format(printf, x, y)))
#else
#define PRINTF_ARGS(x, y)
#endif

/* Formats in the guest and writes like mg_write. */
CIVETWEB_API int mg_printf(struct mg_connection *,
                           PRINTF_FORMAT_STRING(const char *fmt),
                           ...) PRINTF_ARGS(2, 3);

/* Sends one chunk of a response declared "Transfer-Encoding: chunked";
 * chunk_len 0 ends the body. */
CIVETWEB_API int mg_send_chunk(struct mg_connection *conn,
                               const char *chunk,
                               unsigned int chunk_len);

CIVETWEB_API void mg_send_file(struct mg_connection *conn, const char *path);
CIVETWEB_API int mg_send_file_body(struct mg_connection *conn,
                                   const char *path);

/* Sends CivetWeb's error page: "Error <status>: <text>" and the message. */
CIVETWEB_API int mg_send_http_error(struct mg_connection *conn,
                                    int status_code,
                                    PRINTF_FORMAT_STRING(const char *fmt),
                                    ...) PRINTF_ARGS(3, 4);

/* Sends a 200 head; content_length -1 means chunked (use mg_send_chunk). */
CIVETWEB_API int mg_send_http_ok(struct mg_connection *conn,
                                 const char *mime_type,
                                 long long content_length);

/* Sends a 301, 302, 303, 307 or 308 (0 means 307) with an empty body.
 * Returns -2 for any other code. */
CIVETWEB_API int mg_send_http_redirect(struct mg_connection *conn,
                                       const char *target_url,
                                       int redirect_code);

CIVETWEB_API int
mg_send_digest_access_authentication_request(struct mg_connection *conn,
                                             const char *realm);
CIVETWEB_API int
mg_check_digest_access_authentication(struct mg_connection *conn,
                                      const char *realm,
                                      const char *filename);
CIVETWEB_API void mg_send_mime_file(struct mg_connection *conn,
                                    const char *path,
                                    const char *mime_type);
CIVETWEB_API void mg_send_mime_file2(struct mg_connection *conn,
                                     const char *path,
                                     const char *mime_type,
                                     const char *additional_headers);
/* Stores the request body in the file at path, relative to the upload
 * directory the host granted (missing directories are created). The file
 * appears under its name only once complete. Returns the bytes stored, or
 * CivetWeb's codes: -11 if the body was already read from, -12 if the
 * file cannot be created (no upload directory, a path leading out of it),
 * -13 if writing or reading failed (a body cut short or over the size
 * limit: the file is removed), -14 if it could not be completed; 0 for a
 * path ending in "/". */
CIVETWEB_API long long mg_store_body(struct mg_connection *conn,
                                     const char *path);

/* Reads the request body (decoded if chunked). Returns the byte count, 0 at
 * the end of the body, -1 on error. */
CIVETWEB_API int mg_read(struct mg_connection *, void *buf, size_t len);

/* Case-insensitive lookup in mg_get_request_info()->http_headers. */
CIVETWEB_API const char *mg_get_header(const struct mg_connection *,
                                       const char *name);

/* ---- form and cookie helpers (run inside the guest) -------------------- */

/* Returns the decoded length, -1 if name is absent, -2 if dst is NULL, empty
 * or too small. dst is always NUL-terminated when dst_len > 0. */
CIVETWEB_API int mg_get_var(const char *data,
                            size_t data_len,
                            const char *var_name,
                            char *dst,
                            size_t dst_len);
/* Like mg_get_var for the occurrence-th (0-based) instance of the name. */
CIVETWEB_API int mg_get_var2(const char *data,
                             size_t data_len,
                             const char *var_name,
                             char *dst,
                             size_t dst_len,
                             size_t occurrence);
CIVETWEB_API int mg_split_form_urlencoded(char *data,
                                          struct mg_header *form_fields,
                                          unsigned num_form_fields);
/* Returns the value length, -1 if absent, -2 if buf is NULL or empty, -3 if
 * it is too small. */
CIVETWEB_API int mg_get_cookie(const char *cookie,
                               const char *var_name,
                               char *buf,
                               size_t buf_len);

/* ---- client API (not available in the sandbox) ------------------------- */

CIVETWEB_API struct mg_connection *
mg_download(const char *host,
            int port,
            int use_ssl,
            char *error_buffer,
            size_t error_buffer_size,
            PRINTF_FORMAT_STRING(const char *request_fmt),
            ...) PRINTF_ARGS(6, 7);
CIVETWEB_API void mg_close_connection(struct mg_connection *conn);

/* ---- form handling ------------------------------------------------------- */

struct mg_form_data_handler {
	int (*field_found)(const char *key,
	                   const char *filename,
	                   char *path,
	                   size_t pathlen,
	                   void *user_data);
	int (*field_get)(const char *key,
	                 const char *value,
	                 size_t valuelen,
	                 void *user_data);
	int (*field_store)(const char *path, long long file_size, void *user_data);
	void *user_data;
};

enum {
	MG_FORM_FIELD_STORAGE_SKIP = 0x0,
	MG_FORM_FIELD_STORAGE_GET = 0x1,
	MG_FORM_FIELD_STORAGE_STORE = 0x2,
	MG_FORM_FIELD_STORAGE_ABORT = 0x10
};

enum {
	MG_FORM_FIELD_HANDLE_GET = 0x1,
	MG_FORM_FIELD_HANDLE_NEXT = 0x8,
	MG_FORM_FIELD_HANDLE_ABORT = 0x10
};

/* Parses the form in the query string (GET) or the body (urlencoded or
 * multipart/form-data) as CivetWeb 1.15 does, calling fdh's callbacks.
 * Returns the number of fields found, or -1 for a malformed or unreadable
 * form. A STORE field's path (set by field_found) is relative to the upload
 * directory; it appears there only once complete. */
CIVETWEB_API int mg_handle_form_request(struct mg_connection *conn,
                                        struct mg_form_data_handler *fdh);

typedef void *(*mg_thread_func_t)(void *);
CIVETWEB_API int mg_start_thread(mg_thread_func_t f, void *p);

/* ---- utilities (run inside the guest) ---------------------------------- */

CIVETWEB_API const char *mg_get_builtin_mime_type(const char *file_name);
/* CivetWeb's reason phrase for a status code. */
CIVETWEB_API const char *
mg_get_response_code_text(const struct mg_connection *conn, int response_code);
/* "1.15" */
CIVETWEB_API const char *mg_version(void);
/* Returns the decoded length, or -1 if dst is too small. */
CIVETWEB_API int mg_url_decode(const char *src,
                               int src_len,
                               char *dst,
                               int dst_len,
                               int is_form_url_encoded);
/* Returns the encoded length, or -1 if dst is too small. */
CIVETWEB_API int mg_url_encode(const char *src, char *dst, size_t dst_len);
/* From CivetWeb 1.16 (not in 1.15), with its results: -1 means success and
 * *dst_len then counts the NUL; 0 means dst is too small and *dst_len is
 * set to the size needed. */
CIVETWEB_API int mg_base64_encode(const unsigned char *src,
                                  size_t src_len,
                                  char *dst,
                                  size_t *dst_len);
/* From CivetWeb 1.16 (not in 1.15): -1 means success (dst NUL-terminated,
 * *dst_len = bytes + 1); 0 that dst is too small (*dst_len = size needed);
 * otherwise the index of the first invalid byte, *dst_len = 0 (an invalid
 * first byte also gives 0). Input must be padded to groups of four. */
CIVETWEB_API int mg_base64_decode(const char *src,
                                  size_t src_len,
                                  unsigned char *dst,
                                  size_t *dst_len);
CIVETWEB_API char *mg_md5(char buf[33], ...);
/* Writes a message to the server log. */
CIVETWEB_API void mg_cry(const struct mg_connection *conn,
                         PRINTF_FORMAT_STRING(const char *fmt),
                         ...) PRINTF_ARGS(2, 3);
CIVETWEB_API int mg_strcasecmp(const char *s1, const char *s2);
CIVETWEB_API int mg_strncasecmp(const char *s1, const char *s2, size_t len);

/* ---- websocket and TCP clients (not available in the sandbox) --------- */

CIVETWEB_API struct mg_connection *
mg_connect_websocket_client(const char *host,
                            int port,
                            int use_ssl,
                            char *error_buffer,
                            size_t error_buffer_size,
                            const char *path,
                            const char *origin,
                            mg_websocket_data_handler data_func,
                            mg_websocket_close_handler close_func,
                            void *user_data);
CIVETWEB_API struct mg_connection *
mg_connect_websocket_client_extensions(const char *host,
                                       int port,
                                       int use_ssl,
                                       char *error_buffer,
                                       size_t error_buffer_size,
                                       const char *path,
                                       const char *origin,
                                       const char *extensions,
                                       mg_websocket_data_handler data_func,
                                       mg_websocket_close_handler close_func,
                                       void *user_data);
CIVETWEB_API struct mg_connection *mg_connect_client(const char *host,
                                                     int port,
                                                     int use_ssl,
                                                     char *error_buffer,
                                                     size_t error_buffer_size);

struct mg_client_options {
	const char *host;
	int port;
	const char *client_cert;
	const char *server_cert;
	const char *host_name;
};

CIVETWEB_API struct mg_connection *
mg_connect_client_secure(const struct mg_client_options *client_options,
                         char *error_buffer,
                         size_t error_buffer_size);
CIVETWEB_API struct mg_connection *mg_connect_websocket_client_secure(
    const struct mg_client_options *client_options,
    char *error_buffer,
    size_t error_buffer_size,
    const char *path,
    const char *origin,
    mg_websocket_data_handler data_func,
    mg_websocket_close_handler close_func,
    void *user_data);
CIVETWEB_API struct mg_connection *
mg_connect_websocket_client_secure_extensions(
    const struct mg_client_options *client_options,
    char *error_buffer,
    size_t error_buffer_size,
    const char *path,
    const char *origin,
    const char *extensions,
    mg_websocket_data_handler data_func,
    mg_websocket_close_handler close_func,
    void *user_data);

#if defined(MG_LEGACY_INTERFACE)
enum { TIMEOUT_INFINITE = -1 };
#endif
enum { MG_TIMEOUT_INFINITE = -1 };

CIVETWEB_API int mg_get_response(struct mg_connection *conn,
                                 char *ebuf,
                                 size_t ebuf_len,
                                 int timeout);

/* ---- structured response (works over HTTP/1.x and HTTP/2) ------------- */

/* 0, -1 parameter error, -2 invalid connection type, -3 out of order. */
CIVETWEB_API int mg_response_header_start(struct mg_connection *conn,
                                          int status);
/* value_len -1 means strlen(value). Also -4 for more than 64 headers. */
CIVETWEB_API int mg_response_header_add(struct mg_connection *conn,
                                        const char *header,
                                        const char *value,
                                        int value_len);
/* Adds "Name: value\r\n" lines; returns the number added or an error. */
CIVETWEB_API int mg_response_header_add_lines(struct mg_connection *conn,
                                              const char *http1_headers);
CIVETWEB_API int mg_response_header_send(struct mg_connection *conn);

/* ---- system information ------------------------------------------------- */

CIVETWEB_API unsigned mg_check_feature(unsigned feature);
CIVETWEB_API int mg_get_system_info(char *buffer, int buflen);
CIVETWEB_API int
mg_get_context_info(const struct mg_context *ctx, char *buffer, int buflen);
CIVETWEB_API void mg_disable_connection_keep_alive(struct mg_connection *conn);

#if defined(MG_EXPERIMENTAL_INTERFACES)
CIVETWEB_API int mg_get_connection_info(const struct mg_context *ctx,
                                        int idx,
                                        char *buffer,
                                        int buflen);
#endif

struct mg_error_data {
	unsigned *code;
	char *text;
	size_t text_buffer_size;
};

struct mg_init_data {
	const struct mg_callbacks *callbacks;
	void *user_data;
	const char **configuration_options;
};

#if defined(MG_EXPERIMENTAL_INTERFACES)
CIVETWEB_API struct mg_connection *
mg_connect_client2(const char *host,
                   const char *protocol,
                   int port,
                   const char *path,
                   struct mg_init_data *init,
                   struct mg_error_data *error);
CIVETWEB_API int mg_get_response2(struct mg_connection *conn,
                                  struct mg_error_data *error,
                                  int timeout);
#endif

CIVETWEB_API struct mg_context *mg_start2(struct mg_init_data *init,
                                          struct mg_error_data *error);
CIVETWEB_API int mg_start_domain2(struct mg_context *ctx,
                                  const char **configuration_options,
                                  struct mg_error_data *error);
CIVETWEB_API void mg_disable_keep_alive(struct mg_connection *conn);

#ifdef __cplusplus
}
#endif

#endif /* CIVETWEB_HEADER_INCLUDED */
