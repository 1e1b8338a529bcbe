/* The guest half of the civetbox ABI: entry points, the connection object,
 * buffered output and the wrappers around the host functions. */

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wasm_simd128.h>

#include "civetweb.h"
#include "civetbox_imports.h"
#include "civetbox_sdk.h"

/* ABI version stamp: a custom section the host reads before loading, holding
 * CIVETBOX_ABI_VERSION as a 4-byte little-endian integer. */
#define CIVETBOX_STR(x) #x
#define CIVETBOX_XSTR(x) CIVETBOX_STR(x)
__asm__(".section .custom_section.civetbox_abi,\"\",@\n"
        ".int32 " CIVETBOX_XSTR(CIVETBOX_ABI_VERSION) "\n"
        ".text\n");

/* Output is gathered here and crosses into the host in large pieces. */
#ifndef CIVETBOX_WRITE_BUFFER
#define CIVETBOX_WRITE_BUFFER (16 * 1024)
#endif

/* Most requests' info fits here; bigger ones get a heap buffer. */
#define REQUEST_BUFFER (4 * 1024)

struct mg_context {
	void *user_data;
};

struct mg_connection {
	struct civetbox_request *req; /* NULL until mg_get_request_info */
	void *conn_data;
	long long consumed; /* body bytes mg_read returned, for mg_store_body */
	size_t out_len;
	char out[CIVETBOX_WRITE_BUFFER];
};

static struct mg_context context;
static struct mg_connection connection;
static _Alignas(8) char request_buffer[REQUEST_BUFFER];
static void *request_heap;
static size_t request_heap_size;

/* ---- entry points -------------------------------------------------------- */

/* Linked without wasi-libc's reactor start file (sdk.go), so the module
 * exports no _initialize: the constructors it would run run here, once. */
extern void __wasm_call_ctors(void);

__attribute__((export_name("civetbox_abi_init"))) int
civetbox_abi_init(void)
{
	static int constructed;
	int rc;

	if (!constructed) {
		constructed = 1;
		__wasm_call_ctors();
	}
	rc = civetbox_init(&context);

	return rc == 0 && civetbox_refuse_start != NULL ? -1 : rc;
}

static int flush_output(struct mg_connection *conn);

__attribute__((export_name("civetbox_abi_dispatch"))) int
civetbox_abi_dispatch(mg_request_handler handler, void *cbdata)
{
	struct mg_connection *conn = &connection;
	int rc;

	conn->req = NULL;
	conn->conn_data = NULL;
	conn->consumed = 0;
	conn->out_len = 0;
	rc = handler(conn, cbdata);
	flush_output(conn);
	return rc;
}

/* Both entry points behind one export (abi.ExportEntry), so the host needs
 * to prepare only one call per instance. The op values are abi.EntryInit
 * and abi.EntryDispatch. */
__attribute__((export_name("civetbox_abi_entry"))) int
civetbox_abi_entry(int op, mg_request_handler handler, void *cbdata)
{
	switch (op) {
	case 0:
		return civetbox_abi_init();
	case 1:
		return civetbox_abi_dispatch(handler, cbdata);
	}
	return -1;
}

/* ---- output ---------------------------------------------------------------- */

static int
flush_output(struct mg_connection *conn)
{
	size_t len = conn->out_len;

	if (len == 0) {
		return 0;
	}
	conn->out_len = 0;
	return civetbox_host_write(conn->out, len) < 0 ? -1 : 0;
}

int
civetbox_flush(struct mg_connection *conn)
{
	return conn == NULL ? -1 : flush_output(conn);
}

/* Output is copied into the buffer with one memory.copy instruction
 * rather than wasi-libc's memcpy, a loop that costs a pooled hello request
 * about a sixth of its time once engines check the deadline in every loop.
 * WebAssembly compilers apply a function's target features to its whole
 * translation unit: this file, never the handler's own code, which may
 * still use _Thread_local (clang 14 cannot build that with bulk memory
 * and without atomics). Both engines support bulk memory. */
#define CIVETBOX_BULK_MEMORY __attribute__((target("bulk-memory")))

CIVETBOX_BULK_MEMORY int
mg_write(struct mg_connection *conn, const void *buf, size_t len)
{
	if (conn == NULL || len > INT_MAX || (buf == NULL && len > 0)) {
		return -1;
	}
	if (len <= sizeof(conn->out) - conn->out_len) {
		memcpy(conn->out + conn->out_len, buf, len);
		conn->out_len += len;
		return (int)len;
	}
	if (flush_output(conn) < 0) {
		return -1;
	}
	if (len >= sizeof(conn->out) / 2) {
		return civetbox_host_write(buf, len);
	}
	memcpy(conn->out, buf, len);
	conn->out_len = len;
	return (int)len;
}

/* literal_length is strlen(s) if s holds no '%', else -1: one scan, 16
 * bytes at a time. Every load is a whole aligned 16-byte block, which never
 * crosses the end of linear memory (a multiple of 64 KiB), so reading the
 * bytes around the string is safe; those before s are masked out. With
 * wasi-libc's strchr and strlen, whose loops the deadline instrumentation
 * checks at every step, finding that a format was literal cost a pooled
 * hello request more than a tenth of its time. */
__attribute__((target("simd128"))) static long
literal_length(const char *s)
{
	const v128_t percent = wasm_i8x16_splat('%'), nul = wasm_i8x16_splat(0);
	const char *block = (const char *)((uintptr_t)s & ~(uintptr_t)15);
	unsigned before = (unsigned)(s - block);

	for (;; block += 16, before = 0) {
		v128_t v = wasm_v128_load(block);
		uint32_t hits = (uint32_t)wasm_i8x16_bitmask(
		        wasm_v128_or(wasm_i8x16_eq(v, percent), wasm_i8x16_eq(v, nul)));

		hits &= ~0u << before;
		if (hits != 0) {
			const char *hit = block + __builtin_ctz(hits);
			return *hit == '%' ? -1 : (long)(hit - s);
		}
	}
}

static int
vprintf_to(struct mg_connection *conn, const char *fmt, va_list ap)
{
	size_t room = sizeof(conn->out) - conn->out_len;
	va_list again;
	char *heap;
	int n, rc;

	/* Most handlers print literal text; wasi-libc's vsnprintf walks the
	 * format twice even when there is nothing to convert. */
	long literal = literal_length(fmt);

	if (literal >= 0) {
		return mg_write(conn, fmt, (size_t)literal);
	}
	va_copy(again, ap);
	n = vsnprintf(conn->out + conn->out_len, room, fmt, ap);
	if (n < 0 || (size_t)n < room) {
		if (n > 0) {
			conn->out_len += (size_t)n;
		}
		va_end(again);
		return n;
	}
	/* Too long for the room left: format on the heap, write in one piece. */
	heap = malloc((size_t)n + 1);
	if (heap == NULL) {
		va_end(again);
		return -1;
	}
	vsnprintf(heap, (size_t)n + 1, fmt, again);
	va_end(again);
	rc = mg_write(conn, heap, (size_t)n);
	free(heap);
	return rc;
}

int
mg_printf(struct mg_connection *conn, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (conn == NULL || fmt == NULL) {
		return -1;
	}
	va_start(ap, fmt);
	n = vprintf_to(conn, fmt, ap);
	va_end(ap);
	return n;
}

int
mg_send_chunk(struct mg_connection *conn,
              const char *chunk,
              unsigned int chunk_len)
{
	if (conn == NULL || chunk_len > INT_MAX ||
	    (chunk == NULL && chunk_len > 0) || flush_output(conn) < 0) {
		return -1;
	}
	return civetbox_host_send_chunk(chunk, chunk_len);
}

/* ---- reading the request --------------------------------------------------- */

int
mg_read(struct mg_connection *conn, void *buf, size_t len)
{
	if (conn == NULL || (buf == NULL && len > 0)) {
		return -1;
	}
	int n = civetbox_host_read(buf, len > INT_MAX ? INT_MAX : len);

	if (n > 0) {
		conn->consumed += n;
	}
	return n;
}

long long
civetbox_body_consumed(const struct mg_connection *conn)
{
	return conn ? conn->consumed : 0;
}

static struct civetbox_request *
fetch_request(void)
{
	size_t need = civetbox_host_get_request_info(request_buffer, sizeof(request_buffer));

	if (need <= sizeof(request_buffer)) {
		return (struct civetbox_request *)request_buffer;
	}
	if (need > request_heap_size) {
		free(request_heap);
		request_heap = aligned_alloc(8, need);
		request_heap_size = request_heap ? need : 0;
		if (request_heap == NULL) {
			return NULL;
		}
	}
	civetbox_host_get_request_info(request_heap, request_heap_size);
	return request_heap;
}

static struct civetbox_request *
request_of(const struct mg_connection *conn)
{
	struct mg_connection *c = (struct mg_connection *)conn;

	if (c == NULL) {
		return NULL;
	}
	if (c->req == NULL) {
		c->req = fetch_request();
	}
	if (c->req != NULL) {
		c->req->info.user_data = context.user_data;
		c->req->info.conn_data = c->conn_data;
	}
	return c->req;
}

const struct mg_request_info *
mg_get_request_info(const struct mg_connection *conn)
{
	struct civetbox_request *req = request_of(conn);
	return req ? &req->info : NULL;
}

const char *
mg_get_header(const struct mg_connection *conn, const char *name)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	int i;

	if (ri == NULL || name == NULL) {
		return NULL;
	}
	for (i = 0; i < ri->num_headers; i++) {
		if (mg_strcasecmp(name, ri->http_headers[i].name) == 0) {
			return ri->http_headers[i].value;
		}
	}
	return NULL;
}

int
mg_get_request_link(const struct mg_connection *conn, char *buf, size_t buflen)
{
	struct civetbox_request *req;
	const struct mg_request_info *ri;
	const char *uri;
	int default_port, n;
	char port[16] = "";

	if (buf == NULL || buflen < 1 || (req = request_of(conn)) == NULL) {
		return -1;
	}
	ri = &req->info;
	uri = ri->request_uri ? ri->request_uri : ri->local_uri;
	if (uri == NULL) {
		return -1;
	}
	default_port = ri->is_ssl ? 443 : 80;
	if (ri->server_port != default_port) {
		snprintf(port, sizeof(port), ":%d", ri->server_port);
	}
	n = snprintf(buf, buflen, "%s://%s%s%s%s%s", ri->is_ssl ? "https" : "http",
	             strchr(req->server_addr, ':') ? "[" : "", req->server_addr,
	             strchr(req->server_addr, ':') ? "]" : "", port,
	             ri->local_uri ? ri->local_uri : "");
	return (n < 0 || (size_t)n >= buflen) ? -1 : 0;
}

/* ---- structured responses ------------------------------------------------- */

int
mg_send_http_ok(struct mg_connection *conn,
                const char *mime_type,
                long long content_length)
{
	if (conn == NULL || flush_output(conn) < 0) {
		return -1;
	}
	return civetbox_host_send_http_ok(mime_type,
	                                  mime_type ? strlen(mime_type) : 0,
	                                  content_length);
}

/* CivetWeb formats error messages into a buffer of this size. */
#define ERROR_MESSAGE_BUFFER 8192

int
mg_send_http_error(struct mg_connection *conn, int status, const char *fmt, ...)
{
	char msg[ERROR_MESSAGE_BUFFER];
	va_list ap;
	int n;

	if (conn == NULL || fmt == NULL) {
		return -2;
	}
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0) {
		n = 0;
	} else if ((size_t)n >= sizeof(msg)) {
		n = sizeof(msg) - 1;
	}
	if (flush_output(conn) < 0) {
		return -1;
	}
	return civetbox_host_send_http_error(status, msg, (size_t)n);
}

int
mg_send_http_redirect(struct mg_connection *conn,
                      const char *target_url,
                      int redirect_code)
{
	if (conn == NULL || flush_output(conn) < 0) {
		return -1;
	}
	return civetbox_host_send_http_redirect(target_url,
	                                        target_url ? strlen(target_url) : 0,
	                                        redirect_code);
}

int
mg_response_header_start(struct mg_connection *conn, int status)
{
	if (conn == NULL || status < 100 || status > 999) {
		return -1;
	}
	if (flush_output(conn) < 0) {
		return -3;
	}
	return civetbox_host_response_header_start(status);
}

int
mg_response_header_add(struct mg_connection *conn,
                       const char *header,
                       const char *value,
                       int value_len)
{
	if (conn == NULL || header == NULL || value == NULL) {
		return -1;
	}
	return civetbox_host_response_header_add(header, strlen(header), value,
	                                         value_len < 0 ? strlen(value)
	                                                       : (size_t)value_len);
}

int
mg_response_header_add_lines(struct mg_connection *conn,
                             const char *http1_headers)
{
	if (conn == NULL || http1_headers == NULL) {
		return -1;
	}
	return civetbox_host_response_header_add_lines(http1_headers,
	                                               strlen(http1_headers));
}

int
mg_response_header_send(struct mg_connection *conn)
{
	if (conn == NULL) {
		return -1;
	}
	return civetbox_host_response_header_send();
}

/* ---- registration, context and logging ------------------------------------ */

void
mg_set_request_handler(struct mg_context *ctx,
                       const char *uri,
                       mg_request_handler handler,
                       void *cbdata)
{
	if (ctx == NULL || uri == NULL) {
		return;
	}
	civetbox_host_set_request_handler(uri, strlen(uri), handler, cbdata);
}

struct mg_context *
mg_get_context(const struct mg_connection *conn)
{
	return conn ? &context : NULL;
}

void *
mg_get_user_data(const struct mg_context *ctx)
{
	return ctx ? ctx->user_data : NULL;
}

void *
mg_get_user_connection_data(const struct mg_connection *conn)
{
	return conn ? conn->conn_data : NULL;
}

void
mg_set_user_connection_data(const struct mg_connection *conn, void *data)
{
	struct mg_connection *c = (struct mg_connection *)conn;

	if (c == NULL) {
		return;
	}
	c->conn_data = data;
	if (c->req != NULL) {
		/* As in CivetWeb, the request info a handler holds sees it too. */
		c->req->info.conn_data = data;
	}
}

/* CivetWeb formats log messages into a buffer of this size (MG_BUF_LEN). */
#define LOG_MESSAGE_BUFFER 8192

void
mg_cry(const struct mg_connection *conn, const char *fmt, ...)
{
	char msg[LOG_MESSAGE_BUFFER];
	va_list ap;
	int n;

	(void)conn;
	if (fmt == NULL) {
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0) {
		return;
	}
	civetbox_host_cry(msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
}

const char *
mg_version(void)
{
	return CIVETWEB_VERSION;
}
