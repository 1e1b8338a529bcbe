/* hostile: a guest that breaks the rules on purpose, one route per fault.
 * It calls the raw host functions (not the SDK wrappers) so it can pass any
 * pointer. Every fault must cost only its own request: the host answers 500
 * (or 504 for the loops) and discards the instance, and /ok keeps answering.
 *
 *   /ok                       200 "ok"
 *   /badptr/<function>        passes an out-of-range pointer to <function>
 *   /trap/<kind>              unreachable, divzero, oob, indirect, stack
 *                             (wasm call stack), cstack (C stack in memory),
 *                             after-send (traps once the response started)
 *   /loop                     spins forever (stopped by the deadline)
 *   /exp                      f(n) = f(n-1) + f(n-1) for n = 60: a loop-free
 *                             computation that would outlive the universe
 *   /inject/header            writes a header containing CR LF
 *   /inject/value             mg_response_header_add with a CR LF value
 *   /inject/status            writes an invalid status line
 *   /exit                     calls exit(3)
 *   /late-register            calls mg_set_request_handler during a request
 *   /grow                     mallocs 1 MiB blocks until malloc fails and
 *                             answers how many it got
 *   /read-all                 reads the whole body, then answers with its
 *                             size; sends nothing if mg_read fails
 */

#include <stdlib.h>
#include <string.h>

#include "civetweb.h"

#define IMPORT(name) __attribute__((import_module("civetbox"), import_name(#name)))

IMPORT(mg_read) int raw_read(unsigned buf, unsigned len);
IMPORT(mg_write) int raw_write(unsigned buf, unsigned len);
IMPORT(mg_send_chunk) int raw_send_chunk(unsigned buf, unsigned len);
IMPORT(mg_get_request_info) unsigned raw_get_request_info(unsigned buf, unsigned cap);
IMPORT(mg_send_http_ok) int raw_send_http_ok(unsigned mime, unsigned len, long long cl);
IMPORT(mg_send_http_error) int raw_send_http_error(int status, unsigned msg, unsigned len);
IMPORT(mg_send_http_redirect) int raw_send_http_redirect(unsigned url, unsigned len, int code);
IMPORT(mg_response_header_start) int raw_header_start(int status);
IMPORT(mg_response_header_add) int raw_header_add(unsigned name, unsigned name_len, unsigned value, unsigned value_len);
IMPORT(mg_response_header_add_lines) int raw_header_add_lines(unsigned lines, unsigned len);
IMPORT(mg_cry) void raw_cry(unsigned msg, unsigned len);
IMPORT(mg_set_request_handler) int raw_set_request_handler(unsigned uri, unsigned len, unsigned handler, unsigned cbdata);
IMPORT(mg_send_mime_file2) int raw_send_mime_file2(unsigned path, unsigned path_len, unsigned mime, unsigned mime_len, unsigned headers, unsigned headers_len);
IMPORT(mg_send_file_body) int raw_send_file_body(unsigned path, unsigned len);
IMPORT(upload_open) int raw_upload_open(unsigned path, unsigned len);
IMPORT(upload_write) int raw_upload_write(int handle, unsigned buf, unsigned len);
IMPORT(mg_check_digest_access_authentication) int raw_check_digest(unsigned realm, unsigned realm_len, unsigned file, unsigned file_len);
IMPORT(mg_send_digest_access_authentication_request) int raw_send_digest_request(unsigned realm, unsigned len);

/* Past the end of any memory this guest has: a pointer the host must refuse. */
#define BAD 0xfffffff0u
/* In range but running off the end: wraps around 2^32 if added in 32 bits. */
#define WRAP_PTR 16u
#define WRAP_LEN 0xfffffff8u

static int
ok_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_send_http_ok(conn, "text/plain", 2);
	mg_write(conn, "ok", 2);
	return 200;
}

static int
badptr_handler(struct mg_connection *conn, void *cbdata)
{
	const char *fn = mg_get_request_info(conn)->local_uri + strlen("/badptr/");
	static char good[8] = "x";

	(void)cbdata;
	if (!strcmp(fn, "mg_read")) {
		raw_read(BAD, 16);
	} else if (!strcmp(fn, "mg_read_wrap")) {
		raw_read(WRAP_PTR, WRAP_LEN);
	} else if (!strcmp(fn, "mg_write")) {
		raw_write(BAD, 16);
	} else if (!strcmp(fn, "mg_write_wrap")) {
		raw_write(WRAP_PTR, WRAP_LEN);
	} else if (!strcmp(fn, "mg_send_chunk")) {
		raw_send_chunk(BAD, 4);
	} else if (!strcmp(fn, "mg_get_request_info")) {
		raw_get_request_info(BAD, 4096);
	} else if (!strcmp(fn, "mg_get_request_info_misaligned")) {
		raw_get_request_info((unsigned)(good + 1) | 1u, 4096);
	} else if (!strcmp(fn, "mg_send_http_ok")) {
		raw_send_http_ok(BAD, 10, 0);
	} else if (!strcmp(fn, "mg_send_http_error")) {
		raw_send_http_error(500, BAD, 10);
	} else if (!strcmp(fn, "mg_send_http_redirect")) {
		raw_send_http_redirect(BAD, 10, 302);
	} else if (!strcmp(fn, "mg_response_header_add")) {
		raw_header_start(200);
		raw_header_add((unsigned)good, 1, BAD, 10);
	} else if (!strcmp(fn, "mg_response_header_add_lines")) {
		raw_header_start(200);
		raw_header_add_lines(BAD, 10);
	} else if (!strcmp(fn, "mg_cry")) {
		raw_cry(BAD, 10);
	} else if (!strcmp(fn, "mg_set_request_handler")) {
		raw_set_request_handler(BAD, 10, 1, 0);
	} else if (!strcmp(fn, "mg_send_mime_file2")) {
		/* Good path and type, bad headers: every pointer is checked
		 * before the host looks for the file or a document root. */
		raw_send_mime_file2((unsigned)good, 1, (unsigned)good, 1, BAD, 10);
	} else if (!strcmp(fn, "mg_send_file_body")) {
		raw_send_file_body(BAD, 10);
	} else if (!strcmp(fn, "upload_open")) {
		raw_upload_open(BAD, 10);
	} else if (!strcmp(fn, "upload_write")) {
		raw_upload_write(0, BAD, 10);
	} else if (!strcmp(fn, "mg_check_digest_access_authentication")) {
		raw_check_digest((unsigned)good, 1, BAD, 10);
	} else if (!strcmp(fn, "mg_send_digest_access_authentication_request")) {
		raw_send_digest_request(BAD, 10);
	} else {
		mg_send_http_error(conn, 404, "unknown function %s", fn);
		return 404;
	}
	return 200;
}

typedef int (*int_fn)(int);

static int
trap_handler(struct mg_connection *conn, void *cbdata)
{
	const char *kind = mg_get_request_info(conn)->local_uri + strlen("/trap/");
	volatile int zero = 0, one = 1;
	volatile unsigned far = 0xfffffff0u;
	volatile int_fn fn = (int_fn)(void *)ok_handler; /* wrong signature */

	(void)cbdata;
	if (!strcmp(kind, "unreachable")) {
		__builtin_trap();
	} else if (!strcmp(kind, "divzero")) {
		return one / zero;
	} else if (!strcmp(kind, "oob")) {
		return *(volatile int *)far;
	} else if (!strcmp(kind, "indirect")) {
		return fn(1);
	} else if (!strcmp(kind, "after-send")) {
		mg_send_http_ok(conn, "text/plain", 100); /* the head goes out now */
		mg_write(conn, "only ten b", 10);
		__builtin_trap();
	}
	mg_send_http_error(conn, 404, "unknown trap %s", kind);
	return 404;
}

/* Called through a volatile pointer so the compiler cannot turn the
 * recursion into a loop. */
static int (*volatile deeper)(int);

static int
recurse(int n)
{
	return deeper(n + 1) + 1;
}

static int
recurse_in_memory(int n)
{
	volatile char frame[256];

	frame[0] = (char)n;
	return recurse_in_memory(n + 1) + frame[0];
}

static int
stack_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	if (strstr(mg_get_request_info(conn)->local_uri, "cstack")) {
		return recurse_in_memory(0);
	}
	deeper = recurse;
	return recurse(0);
}

static int
loop_handler(struct mg_connection *conn, void *cbdata)
{
	volatile unsigned spins = 0;

	(void)conn;
	(void)cbdata;
	for (;;) {
		spins++;
	}
	return 200;
}

/* Through a volatile pointer, so the compiler can neither merge the two
 * calls nor turn the recursion into a loop. */
static int (*volatile twice)(int);

static int
exponential(int n)
{
	return n <= 0 ? 1 : twice(n - 1) + twice(n - 1);
}

static int
exp_handler(struct mg_connection *conn, void *cbdata)
{
	(void)conn;
	(void)cbdata;
	twice = exponential;
	return exponential(60);
}

static int
inject_handler(struct mg_connection *conn, void *cbdata)
{
	const char *what = mg_get_request_info(conn)->local_uri + strlen("/inject/");

	(void)cbdata;
	if (!strcmp(what, "header")) {
		mg_printf(conn, "HTTP/1.1 200 OK\r\nX-A: a\rSet-Cookie: evil=1\r\nContent-Length: 2\r\n\r\nok");
	} else if (!strcmp(what, "value")) {
		mg_response_header_start(conn, 200);
		if (mg_response_header_add(conn, "X-A", "a\r\nSet-Cookie: evil=1", -1) != -1) {
			return 599; /* the host accepted it: the test sees 599 */
		}
		mg_response_header_add(conn, "Content-Length", "2", -1);
		mg_response_header_send(conn);
		mg_write(conn, "ok", 2);
	} else if (!strcmp(what, "status")) {
		mg_printf(conn, "HTTP/1.1 20x Fine\r\n\r\n");
	}
	return 200;
}

static int
exit_handler(struct mg_connection *conn, void *cbdata)
{
	(void)conn;
	(void)cbdata;
	exit(3);
}

static int
late_register_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_set_request_handler(mg_get_context(conn), "/late", ok_handler, NULL);
	return 200;
}

/* Where the blocks go, so the compiler cannot drop the allocations. */
static char *volatile last_block;

static int
grow_handler(struct mg_connection *conn, void *cbdata)
{
	int blocks = 0;
	char *block;

	(void)cbdata;
	while (blocks < 100000 && (block = malloc(1 << 20)) != NULL) {
		block[0] = (char)blocks;
		last_block = block;
		blocks++;
	}
	mg_printf(conn, "%d", blocks);
	return 200;
}

static int
read_all_handler(struct mg_connection *conn, void *cbdata)
{
	char buf[512];
	long long total = 0;
	int n;

	(void)cbdata;
	while ((n = mg_read(conn, buf, sizeof(buf))) > 0) {
		total += n;
	}
	if (n < 0) {
		return 200; /* gives up silently: the host must still answer */
	}
	mg_printf(conn, "read %lld", total);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/ok", ok_handler, NULL);
	mg_set_request_handler(ctx, "/badptr", badptr_handler, NULL);
	mg_set_request_handler(ctx, "/trap/stack", stack_handler, NULL);
	mg_set_request_handler(ctx, "/trap/cstack", stack_handler, NULL);
	mg_set_request_handler(ctx, "/trap", trap_handler, NULL);
	mg_set_request_handler(ctx, "/loop", loop_handler, NULL);
	mg_set_request_handler(ctx, "/exp", exp_handler, NULL);
	mg_set_request_handler(ctx, "/inject", inject_handler, NULL);
	mg_set_request_handler(ctx, "/exit", exit_handler, NULL);
	mg_set_request_handler(ctx, "/late-register", late_register_handler, NULL);
	mg_set_request_handler(ctx, "/read-all", read_all_handler, NULL);
	mg_set_request_handler(ctx, "/grow", grow_handler, NULL);
	return 0;
}
