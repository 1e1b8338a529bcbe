/* status: answers with CivetWeb's structured response calls.
 *
 *   /status                 200 "OK\n" via mg_send_http_ok
 *   /status/<code>          that code via mg_send_http_error
 *   /status/redirect?to=/x  302 to /x via mg_send_http_redirect
 *   /status/teapot          418 built with mg_response_header_*
 */

#include <stdlib.h>
#include <string.h>

#include "civetweb.h"

static int
send_ok(struct mg_connection *conn)
{
	mg_send_http_ok(conn, "text/plain", 3);
	mg_write(conn, "OK\n", 3);
	return 200;
}

static int
send_redirect(struct mg_connection *conn, const char *query)
{
	char to[256];

	if (query == NULL ||
	    mg_get_var(query, strlen(query), "to", to, sizeof(to)) <= 0) {
		strcpy(to, "/");
	}
	mg_send_http_redirect(conn, to, 302);
	return 302;
}

static int
send_teapot(struct mg_connection *conn)
{
	static const char body[] = "I refuse to brew coffee.\n";

	mg_response_header_start(conn, 418);
	mg_response_header_add(conn, "Content-Type", "text/plain", -1);
	mg_response_header_add(conn, "X-Teapot", "short-and-stout", -1);
	mg_response_header_add_lines(conn, "X-Handle: yes\r\nX-Spout: yes\r\n");
	mg_response_header_add(conn, "Content-Length", "25", -1);
	mg_response_header_send(conn);
	mg_write(conn, body, sizeof(body) - 1);
	return 418;
}

static int
status_handler(struct mg_connection *conn, void *cbdata)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const char *rest = ri->local_uri + strlen("/status");
	int code;

	(void)cbdata;
	if (*rest == '\0' || strcmp(rest, "/") == 0) {
		return send_ok(conn);
	}
	rest++; /* skip '/' */
	if (strcmp(rest, "redirect") == 0) {
		return send_redirect(conn, ri->query_string);
	}
	if (strcmp(rest, "teapot") == 0) {
		return send_teapot(conn);
	}
	code = atoi(rest);
	if (code < 100 || code > 999) {
		mg_send_http_error(conn, 400, "Not a status code: %s", rest);
		return 400;
	}
	mg_send_http_error(conn, code, "Status %d was requested.", code);
	return code;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/status", status_handler, NULL);
	return 0;
}
