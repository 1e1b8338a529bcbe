/* link: mg_get_request_link, the URL of the current request. Ports differ
 * between servers, so the answer shows the scheme, whether the host is
 * 127.0.0.1 and the port the server's, and the part after host:port.
 *
 *   /link (and anything below it)   the link, and the result with a buffer
 *                                   too small and with a NULL buffer
 */

#include <stdio.h>
#include <string.h>

#include "civetweb.h"

static int
link_handler(struct mg_connection *conn, void *cbdata)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	char link[1024], hostport[64], small[8], body[2048];
	const char *rest;
	int rc, rc_small, rc_null, len;

	(void)cbdata;
	memset(link, 0, sizeof(link));
	rc = mg_get_request_link(conn, link, sizeof(link));
	rc_small = mg_get_request_link(conn, small, sizeof(small));
	rc_null = mg_get_request_link(conn, NULL, 0);
	snprintf(hostport, sizeof(hostport), "http://127.0.0.1:%d", ri->server_port);
	if (strncmp(link, hostport, strlen(hostport)) == 0) {
		rest = link + strlen(hostport);
	} else {
		rest = NULL;
	}
	len = snprintf(body, sizeof(body),
	               "mg_get_request_link: %d\n"
	               "starts with http://127.0.0.1:<server_port>: %s\n"
	               "after host:port: %s\n"
	               "8-byte buffer: %d\n"
	               "NULL buffer: %d\n",
	               rc, rest ? "yes" : "no", rest ? rest : link, rc_small, rc_null);
	mg_send_http_ok(conn, "text/plain", len);
	mg_write(conn, body, (size_t)len);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/link", link_handler, NULL);
	return 0;
}
