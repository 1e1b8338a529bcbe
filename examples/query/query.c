/* query: reads form variables from the query string with mg_get_var and
 * mg_get_var2. GET /query?name=Ada&tag=a&tag=b answers
 * "Hello, Ada! tags: a b". */

#include <stdio.h>
#include <string.h>

#include "civetweb.h"

static int
query_handler(struct mg_connection *conn, void *cbdata)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const char *qs = ri->query_string ? ri->query_string : "";
	char name[128], tag[128], body[1024];
	size_t occurrence;
	int len;

	(void)cbdata;
	if (mg_get_var(qs, strlen(qs), "name", name, sizeof(name)) < 0) {
		strcpy(name, "world");
	}
	len = snprintf(body, sizeof(body), "Hello, %s!", name);
	for (occurrence = 0;
	     mg_get_var2(qs, strlen(qs), "tag", tag, sizeof(tag), occurrence) >= 0;
	     occurrence++) {
		len += snprintf(body + len, sizeof(body) - (size_t)len, "%s %s",
		                occurrence == 0 ? " tags:" : "", tag);
		if ((size_t)len >= sizeof(body)) {
			len = sizeof(body) - 1;
			break;
		}
	}
	len += snprintf(body + len, sizeof(body) - (size_t)len, "\n");
	if ((size_t)len >= sizeof(body)) {
		len = sizeof(body) - 1;
	}
	mg_send_http_ok(conn, "text/plain", len);
	mg_write(conn, body, (size_t)len);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/query", query_handler, NULL);
	return 0;
}
