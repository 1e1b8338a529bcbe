/* Test guest for civetbox_misc.c (see misc_test.go): calls each function
 * the sandbox stubs or implements and reports what it returned.
 *
 *   /misc          "name=value" lines, one per result
 *   /system_info   mg_get_system_info's JSON
 *   /context_info  mg_get_context_info's JSON
 *   /after_stop    answers after /misc called mg_stop */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "civetweb.h"

struct text {
	char buf[8192];
	size_t len;
};

static void add(struct text *t, const char *fmt, ...) PRINTF_ARGS(2, 3);

static void
add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, sizeof(t->buf) - t->len, fmt, ap);
	va_end(ap);
	if (n > 0) {
		t->len += (size_t)n;
		if (t->len >= sizeof(t->buf)) {
			t->len = sizeof(t->buf) - 1;
		}
	}
}

static int
send_text(struct mg_connection *conn, const char *type, const char *s, size_t n)
{
	mg_send_http_ok(conn, type, (long long)n);
	mg_write(conn, s, n);
	return 200;
}

static const char *
or_null(const void *p, const char *s)
{
	return p == NULL ? "NULL" : s;
}

/* An error buffer starts out non-empty, so a stub that leaves it alone
 * shows. */
#define EBUF_INIT "untouched"

static void
client_api(struct text *t, struct mg_connection *conn)
{
	struct mg_client_options opts = {"example.com", 443, NULL, NULL, NULL};
	char ebuf[100];
	struct mg_connection *c;
	int r;

	strcpy(ebuf, EBUF_INIT);
	c = mg_download("example.com", 80, 0, ebuf, sizeof(ebuf), "%s",
	                "GET / HTTP/1.0\r\n\r\n");
	add(t, "mg_download=%s|%s\n", or_null(c, "conn"), ebuf);
	strcpy(ebuf, EBUF_INIT);
	c = mg_connect_client("example.com", 80, 0, ebuf, sizeof(ebuf));
	add(t, "mg_connect_client=%s|%s\n", or_null(c, "conn"), ebuf);
	strcpy(ebuf, EBUF_INIT);
	c = mg_connect_client_secure(&opts, ebuf, sizeof(ebuf));
	add(t, "mg_connect_client_secure=%s|%s\n", or_null(c, "conn"), ebuf);
	strcpy(ebuf, EBUF_INIT);
	c = mg_connect_websocket_client("example.com", 80, 0, ebuf, sizeof(ebuf),
	                                "/ws", NULL, NULL, NULL, NULL);
	add(t, "mg_connect_websocket_client=%s|%s\n", or_null(c, "conn"), ebuf);
	strcpy(ebuf, EBUF_INIT);
	c = mg_connect_websocket_client_extensions("example.com", 80, 0, ebuf,
	                                           sizeof(ebuf), "/ws", NULL, "x",
	                                           NULL, NULL, NULL);
	add(t, "mg_connect_websocket_client_extensions=%s|%s\n", or_null(c, "conn"),
	    ebuf);
	strcpy(ebuf, EBUF_INIT);
	c = mg_connect_websocket_client_secure(&opts, ebuf, sizeof(ebuf), "/ws",
	                                       NULL, NULL, NULL, NULL);
	add(t, "mg_connect_websocket_client_secure=%s|%s\n", or_null(c, "conn"),
	    ebuf);
	strcpy(ebuf, EBUF_INIT);
	c = mg_connect_websocket_client_secure_extensions(
	    &opts, ebuf, sizeof(ebuf), "/ws", NULL, "x", NULL, NULL, NULL);
	add(t, "mg_connect_websocket_client_secure_extensions=%s|%s\n",
	    or_null(c, "conn"), ebuf);
	/* A short error buffer is cut, and terminated. */
	strcpy(ebuf, EBUF_INIT);
	c = mg_connect_client("example.com", 80, 0, ebuf, 12);
	add(t, "mg_connect_client_short=%s|%s\n", or_null(c, "conn"), ebuf);
	strcpy(ebuf, EBUF_INIT);
	r = mg_get_response(conn, ebuf, sizeof(ebuf), 1000);
	add(t, "mg_get_response=%d|%s\n", r, ebuf);
	add(t, "mg_get_response_info=%s\n",
	    or_null(mg_get_response_info(conn), "info"));
	mg_close_connection(NULL);
	mg_close_connection(conn);
	add(t, "mg_close_connection=returned\n");
}

static void
websockets_and_threads(struct text *t, struct mg_connection *conn)
{
	add(t, "mg_websocket_write=%d\n",
	    mg_websocket_write(conn, MG_WEBSOCKET_OPCODE_TEXT, "x", 1));
	add(t, "mg_websocket_client_write=%d\n",
	    mg_websocket_client_write(conn, MG_WEBSOCKET_OPCODE_TEXT, "x", 1));
	add(t, "mg_start_thread=%d\n", mg_start_thread(NULL, NULL));
}

static void
lifecycle(struct text *t, struct mg_connection *conn)
{
	static const char *options[] = {"listening_ports", "8080", NULL};
	struct mg_context *ctx = mg_get_context(conn);
	unsigned code = 7, *code_ptr = &code;
	char text[100];
	struct mg_init_data init = {NULL, NULL, options};
	struct mg_error_data err = {code_ptr, text, sizeof(text)};
	struct mg_context *started;
	int r;

	started = mg_start(NULL, NULL, options);
	add(t, "mg_start=%s\n", or_null(started, "ctx"));
	strcpy(text, EBUF_INIT);
	started = mg_start2(&init, &err);
	add(t, "mg_start2=%s|%s|code_ptr_kept=%d|code=%u\n", or_null(started, "ctx"),
	    text, err.code == code_ptr, code);
	r = mg_start_domain(ctx, options);
	add(t, "mg_start_domain=%d\n", r);
	strcpy(text, EBUF_INIT);
	r = mg_start_domain2(ctx, options, &err);
	add(t, "mg_start_domain2=%d|%s\n", r, text);
	mg_stop(NULL);
	mg_stop(ctx);
	add(t, "mg_stop=returned\n");
}

static void
context_and_files(struct text *t, struct mg_connection *conn)
{
	struct mg_server_port ports[2];
	const struct mg_option *o = mg_get_valid_options();
	const char *v;
	int n = 0, r;

	memset(ports, 0x5a, sizeof(ports));
	r = mg_get_server_ports(mg_get_context(conn), 2, ports);
	add(t, "mg_get_server_ports=%d|zeroed=%d\n", r,
	    ports[0].port == 0 && ports[1]._reserved4 == 0);
	while (o[n].name != NULL) {
		n++;
	}
	add(t, "mg_get_valid_options=%d|%s|%s\n", n, o[0].name, o[n - 1].name);
	v = mg_get_option(mg_get_context(conn), "document_root");
	add(t, "mg_get_option_document_root=%s|%s\n", or_null(v, "value"), v ? v : "");
	v = mg_get_option(mg_get_context(conn), "no_such_option");
	add(t, "mg_get_option_invalid=%s\n", or_null(v, "value"));
	add(t, "mg_get_user_context_data=%s\n",
	    or_null(mg_get_user_context_data(conn), "data"));
	add(t, "mg_get_thread_pointer=%s\n",
	    or_null(mg_get_thread_pointer(conn), "pointer"));
	add(t, "mg_modify_passwords_file=%d\n",
	    mg_modify_passwords_file("/x/.htpasswd", "realm", "user", "pw"));
	add(t, "mg_modify_passwords_file_ha1=%d\n",
	    mg_modify_passwords_file_ha1("/x/.htpasswd", "realm", "user",
	                                 "e67fd3248b58975c3e89ff18ecb75e2f"));
	mg_disable_connection_keep_alive(conn);
	mg_disable_keep_alive(conn);
	mg_lock_connection(conn);
	mg_unlock_connection(conn);
	mg_lock_context(mg_get_context(conn));
	mg_unlock_context(mg_get_context(conn));
	add(t, "quiet=returned\n");
}

static void
utilities(struct text *t)
{
	char md5[33], b64[32];
	unsigned char raw[32];
	size_t len;
	int r;

	add(t, "mg_md5=%s\n", mg_md5(md5, "civet", "box", NULL));
	add(t, "mg_md5_empty=%s\n", mg_md5(md5, NULL));
	add(t, "mime=%s|%s|%s\n", mg_get_builtin_mime_type("x.HTML"),
	    mg_get_builtin_mime_type(".js"), mg_get_builtin_mime_type("a.woff2"));
	add(t, "mg_check_feature=%u|%u\n", mg_check_feature(0xFFFFFFFFu),
	    mg_check_feature(MG_FEATURES_TLS | MG_FEATURES_WEBSOCKET));
	add(t, "mg_init_library=%u|%u\n", mg_init_library(MG_FEATURES_ALL),
	    mg_init_library(MG_FEATURES_TLS));
	add(t, "mg_exit_library=%u\n", mg_exit_library());
	len = sizeof(b64);
	r = mg_base64_encode((const unsigned char *)"civetbox", 8, b64, &len);
	add(t, "mg_base64_encode=%d|%zu|%s\n", r, len, b64);
	len = sizeof(raw);
	r = mg_base64_decode(b64, strlen(b64), raw, &len);
	add(t, "mg_base64_decode=%d|%zu|%s\n", r, len, (char *)raw);
	len = sizeof(raw);
	r = mg_base64_decode("Y2l2*", 5, raw, &len);
	add(t, "mg_base64_decode_bad=%d|%zu\n", r, len);
	add(t, "mg_get_system_info_size=%d|%d\n", mg_get_system_info(NULL, 0),
	    mg_get_system_info(b64, (int)sizeof(b64)));
}

static int
misc_handler(struct mg_connection *conn, void *cbdata)
{
	static struct text t;

	(void)cbdata;
	t.len = 0;
	client_api(&t, conn);
	websockets_and_threads(&t, conn);
	lifecycle(&t, conn);
	context_and_files(&t, conn);
	utilities(&t);
	return send_text(conn, "text/plain", t.buf, t.len);
}

static int
info_handler(struct mg_connection *conn, void *cbdata)
{
	static char json[1024];
	int n;

	if (cbdata != NULL) {
		n = mg_get_context_info(mg_get_context(conn), json, (int)sizeof(json));
	} else {
		n = mg_get_system_info(json, (int)sizeof(json));
	}
	if (n < 0 || (size_t)n >= sizeof(json)) {
		return 500;
	}
	return send_text(conn, "application/json", json, (size_t)n);
}

static int
after_stop_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	return send_text(conn, "text/plain", "still serving\n", 14);
}

int
civetbox_init(struct mg_context *ctx)
{
	static struct mg_websocket_subprotocols protocols = {0, NULL};

	mg_set_request_handler(ctx, "/misc", misc_handler, NULL);
	mg_set_request_handler(ctx, "/system_info", info_handler, NULL);
	mg_set_request_handler(ctx, "/context_info", info_handler, ctx);
	mg_set_request_handler(ctx, "/after_stop", after_stop_handler, NULL);
	/* Registered at init, where CivetWeb programs register them. */
	mg_set_websocket_handler(ctx, "/ws", NULL, NULL, NULL, NULL, NULL);
	mg_set_websocket_handler_with_subprotocols(ctx, "/ws2", &protocols, NULL,
	                                           NULL, NULL, NULL, NULL);
	return 0;
}
