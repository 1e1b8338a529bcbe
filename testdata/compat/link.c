/* link: mg_get_request_link, the URL of the current request. Ports differ
 * between servers, so the answer shows the scheme, whether the host is
 * 127.0.0.1 and the port the server's (server_port), and the part after
 * host:port.
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
	char link[1024], small[8], body[2048], host[64] = "";
	const char *scheme_end, *host_start, *path;
	int rc, rc_small, rc_null, len, port = -1;

	(void)cbdata;
	memset(link, 0, sizeof(link));
	rc = mg_get_request_link(conn, link, sizeof(link));
	rc_small = mg_get_request_link(conn, small, sizeof(small));
	rc_null = mg_get_request_link(conn, NULL, 0);

	/* scheme://host:port/path */
	scheme_end = strstr(link, "://");
	host_start = scheme_end ? scheme_end + 3 : link;
	path = strchr(host_start, '/');
	if (path == NULL) {
		path = host_start + strlen(host_start);
	}
	if (scheme_end != NULL && sscanf(host_start, "%63[^:/]:%d", host, &port) < 1) {
		host[0] = 0;
	}
	len = snprintf(body, sizeof(body),
	               "mg_get_request_link: %d\n"
	               "scheme: %.*s\n"
	               "host is 127.0.0.1: %s\n"
	               "port is server_port: %s\n"
	               "after host:port: %s\n"
	               "8-byte buffer: %d\n"
	               "NULL buffer: %d\n",
	               rc, scheme_end ? (int)(scheme_end - link) : 0, link,
	               strcmp(host, "127.0.0.1") == 0 ? "yes" : "no",
	               port == ri->server_port ? "yes" : "no", path, rc_small, rc_null);
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
