/* Stubs for what a guest cannot do: network clients, websockets, threads,
 * starting servers, password files. They exist so CivetWeb sources link
 * unchanged. Each returns the value CivetWeb documents for that function's
 * failure, fills any error buffer it is given, and says in the server log
 * (mg_cry) which function a ported program still relies on. */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "civetweb.h"

/* ---- what the sandbox cannot do ----------------------------------------- */

/* One log line per call, so the server log says which CivetWeb feature a
 * ported program still relies on. */
static void
unavailable(const char *func)
{
	mg_cry(NULL, "%s: not available in the civetbox sandbox", func);
}

/* The message CivetWeb would leave in a caller's error buffer. */
static void
error_text(char *buf, size_t size, const char *func)
{
	if (buf != NULL && size > 0) {
		snprintf(buf, size, "%s is not available in the civetbox sandbox", func);
	}
}

static struct mg_connection *
no_client(const char *func, char *error_buffer, size_t error_buffer_size)
{
	error_text(error_buffer, error_buffer_size, func);
	unavailable(func);
	return NULL;
}

/* Client API: a guest has no sockets, so every connection attempt fails
 * the way CivetWeb's does, with NULL and a message in the error buffer. */

struct mg_connection *
mg_download(const char *host,
            int port,
            int use_ssl,
            char *error_buffer,
            size_t error_buffer_size,
            const char *request_fmt,
            ...)
{
	(void)host;
	(void)port;
	(void)use_ssl;
	(void)request_fmt;
	return no_client("mg_download", error_buffer, error_buffer_size);
}

struct mg_connection *
mg_connect_client(const char *host,
                  int port,
                  int use_ssl,
                  char *error_buffer,
                  size_t error_buffer_size)
{
	(void)host;
	(void)port;
	(void)use_ssl;
	return no_client("mg_connect_client", error_buffer, error_buffer_size);
}

struct mg_connection *
mg_connect_client_secure(const struct mg_client_options *client_options,
                         char *error_buffer,
                         size_t error_buffer_size)
{
	(void)client_options;
	return no_client("mg_connect_client_secure", error_buffer,
	                 error_buffer_size);
}

struct mg_connection *
mg_connect_websocket_client(const char *host,
                            int port,
                            int use_ssl,
                            char *error_buffer,
                            size_t error_buffer_size,
                            const char *path,
                            const char *origin,
                            mg_websocket_data_handler data_func,
                            mg_websocket_close_handler close_func,
                            void *user_data)
{
	(void)host;
	(void)port;
	(void)use_ssl;
	(void)path;
	(void)origin;
	(void)data_func;
	(void)close_func;
	(void)user_data;
	return no_client("mg_connect_websocket_client", error_buffer,
	                 error_buffer_size);
}

struct mg_connection *
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
                                       void *user_data)
{
	(void)host;
	(void)port;
	(void)use_ssl;
	(void)path;
	(void)origin;
	(void)extensions;
	(void)data_func;
	(void)close_func;
	(void)user_data;
	return no_client("mg_connect_websocket_client_extensions", error_buffer,
	                 error_buffer_size);
}

struct mg_connection *
mg_connect_websocket_client_secure(
    const struct mg_client_options *client_options,
    char *error_buffer,
    size_t error_buffer_size,
    const char *path,
    const char *origin,
    mg_websocket_data_handler data_func,
    mg_websocket_close_handler close_func,
    void *user_data)
{
	(void)client_options;
	(void)path;
	(void)origin;
	(void)data_func;
	(void)close_func;
	(void)user_data;
	return no_client("mg_connect_websocket_client_secure", error_buffer,
	                 error_buffer_size);
}

struct mg_connection *
mg_connect_websocket_client_secure_extensions(
    const struct mg_client_options *client_options,
    char *error_buffer,
    size_t error_buffer_size,
    const char *path,
    const char *origin,
    const char *extensions,
    mg_websocket_data_handler data_func,
    mg_websocket_close_handler close_func,
    void *user_data)
{
	(void)client_options;
	(void)path;
	(void)origin;
	(void)extensions;
	(void)data_func;
	(void)close_func;
	(void)user_data;
	return no_client("mg_connect_websocket_client_secure_extensions",
	                 error_buffer, error_buffer_size);
}

int
mg_get_response(struct mg_connection *conn,
                char *ebuf,
                size_t ebuf_len,
                int timeout)
{
	(void)conn;
	(void)timeout;
	error_text(ebuf, ebuf_len, "mg_get_response");
	unavailable("mg_get_response");
	return -1;
}

/* No client connection can exist; like CivetWeb, NULL is ignored quietly,
 * and anything else (the request's own connection) is left open. */
void
mg_close_connection(struct mg_connection *conn)
{
	if (conn != NULL) {
		unavailable("mg_close_connection");
	}
}

/* CivetWeb returns NULL, without a message, for any connection that is
 * not a client's, and every connection in the sandbox is a server's. */
const struct mg_response_info *
mg_get_response_info(const struct mg_connection *conn)
{
	(void)conn;
	return NULL;
}

/* Websockets: handlers are never called, and writes fail with CivetWeb's
 * error value. */

void
mg_set_websocket_handler(struct mg_context *ctx,
                         const char *uri,
                         mg_websocket_connect_handler connect_handler,
                         mg_websocket_ready_handler ready_handler,
                         mg_websocket_data_handler data_handler,
                         mg_websocket_close_handler close_handler,
                         void *cbdata)
{
	(void)ctx;
	(void)uri;
	(void)connect_handler;
	(void)ready_handler;
	(void)data_handler;
	(void)close_handler;
	(void)cbdata;
	unavailable("mg_set_websocket_handler");
}

void
mg_set_websocket_handler_with_subprotocols(
    struct mg_context *ctx,
    const char *uri,
    struct mg_websocket_subprotocols *subprotocols,
    mg_websocket_connect_handler connect_handler,
    mg_websocket_ready_handler ready_handler,
    mg_websocket_data_handler data_handler,
    mg_websocket_close_handler close_handler,
    void *cbdata)
{
	(void)ctx;
	(void)uri;
	(void)subprotocols;
	(void)connect_handler;
	(void)ready_handler;
	(void)data_handler;
	(void)close_handler;
	(void)cbdata;
	unavailable("mg_set_websocket_handler_with_subprotocols");
}

int
mg_websocket_write(struct mg_connection *conn,
                   int opcode,
                   const char *data,
                   size_t data_len)
{
	(void)conn;
	(void)opcode;
	(void)data;
	(void)data_len;
	unavailable("mg_websocket_write");
	return -1;
}

int
mg_websocket_client_write(struct mg_connection *conn,
                          int opcode,
                          const char *data,
                          size_t data_len)
{
	(void)conn;
	(void)opcode;
	(void)data;
	(void)data_len;
	unavailable("mg_websocket_client_write");
	return -1;
}

/* Threads: wasm32-wasi has none; -1 is what CivetWeb returns when it
 * cannot create one (on Windows; pthreads give an errno, also non-zero). */
int
mg_start_thread(mg_thread_func_t f, void *p)
{
	(void)f;
	(void)p;
	unavailable("mg_start_thread");
	return -1;
}

/* Server lifecycle: the host runs the server and calls civetbox_init
 * instead of main(). mg_start fails (NULL), so a ported main() that still
 * calls it stops with a clear message rather than running half-started.
 * mg_start2 and mg_start_domain2 fill the error text; the error code is
 * left alone, as CivetWeb 1.15 never stores one. */

struct mg_context *
mg_start(const struct mg_callbacks *callbacks,
         void *user_data,
         const char **configuration_options)
{
	(void)callbacks;
	(void)user_data;
	(void)configuration_options;
	unavailable("mg_start");
	return NULL;
}

static void
error_data_text(struct mg_error_data *error, const char *func)
{
	if (error != NULL) {
		error_text(error->text, error->text_buffer_size, func);
	}
}

struct mg_context *
mg_start2(struct mg_init_data *init, struct mg_error_data *error)
{
	(void)init;
	error_data_text(error, "mg_start2");
	unavailable("mg_start2");
	return NULL;
}

/* The host owns the context and stops it; mg_stop(NULL) is a quiet no-op
 * in CivetWeb too. */
void
mg_stop(struct mg_context *ctx)
{
	if (ctx != NULL) {
		unavailable("mg_stop");
	}
}

/* -1 is CivetWeb's first error code for domains ("parameter error"). */
int
mg_start_domain(struct mg_context *ctx, const char **configuration_options)
{
	(void)ctx;
	(void)configuration_options;
	unavailable("mg_start_domain");
	return -1;
}

int
mg_start_domain2(struct mg_context *ctx,
                 const char **configuration_options,
                 struct mg_error_data *error)
{
	(void)ctx;
	(void)configuration_options;
	error_data_text(error, "mg_start_domain2");
	unavailable("mg_start_domain2");
	return -1;
}

const char *civetbox_refuse_start;

/* Authorization handlers are not run, and serving the URI without its check
 * would be worse than not serving at all: the module refuses to start. */
void
mg_set_auth_handler(struct mg_context *ctx,
                    const char *uri,
                    mg_authorization_handler handler,
                    void *cbdata)
{
	(void)ctx;
	(void)handler;
	(void)cbdata;
	mg_cry(NULL,
	       "mg_set_auth_handler: not available in the civetbox sandbox; "
	       "refusing to start rather than serve %s without its check",
	       uri != NULL ? uri : "(null)");
	civetbox_refuse_start = "mg_set_auth_handler";
}

/* The host listens, not the guest: there are no ports to report (-1 is
 * CivetWeb's error), but like CivetWeb the array is cleared first. */
int
mg_get_server_ports(const struct mg_context *ctx,
                    int size,
                    struct mg_server_port *ports)
{
	(void)ctx;
	if (size > 0 && ports != NULL) {
		memset(ports, 0, sizeof(*ports) * (size_t)size);
	}
	unavailable("mg_get_server_ports");
	return -1;
}

/* The guest has no file system to keep a password file in; 0 is
 * CivetWeb's error. */
int
mg_modify_passwords_file(const char *passwords_file_name,
                         const char *realm,
                         const char *user,
                         const char *password)
{
	(void)passwords_file_name;
	(void)realm;
	(void)user;
	(void)password;
	unavailable("mg_modify_passwords_file");
	return 0;
}

int
mg_modify_passwords_file_ha1(const char *passwords_file_name,
                             const char *realm,
                             const char *user,
                             const char *ha1)
{
	(void)passwords_file_name;
	(void)realm;
	(void)user;
	(void)ha1;
	unavailable("mg_modify_passwords_file_ha1");
	return 0;
}

/* Context data works as in CivetWeb: the user data of the connection's
 * context. */
void *
mg_get_user_context_data(const struct mg_connection *conn)
{
	return mg_get_user_data(mg_get_context(conn));
}

/* CivetWeb returns what an init_thread callback stored, NULL without one;
 * the sandbox never calls init_thread, so NULL is the true answer. */
void *
mg_get_thread_pointer(const struct mg_connection *conn)
{
	(void)conn;
	return NULL;
}

/* Keep-alive is decided by the host's HTTP server; the response itself
 * does not change, so these are quiet no-ops rather than errors (a handler
 * may call them on every request). */
void
mg_disable_connection_keep_alive(struct mg_connection *conn)
{
	(void)conn;
}

void
mg_disable_keep_alive(struct mg_connection *conn)
{
	(void)conn;
}
