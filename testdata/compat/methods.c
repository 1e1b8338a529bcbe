/* methods: request methods and bodies.
 *
 *   /m           answers with the method, content_length, the number of
 *                body bytes read and the first 64 of them
 *   /m/decline   returns 0 (not handled) without sending anything
 */

#include <stdio.h>
#include <string.h>

#include "civetweb.h"

static int
method_handler(struct mg_connection *conn, void *cbdata)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	char buf[4096], first[65], body[512];
	long long total = 0;
	int n, len;

	(void)cbdata;
	first[0] = 0;
	while ((n = mg_read(conn, buf, sizeof(buf))) > 0) {
		if (total < 64) {
			size_t have = strlen(first), take = (size_t)n;
			if (have + take > 64) {
				take = 64 - have;
			}
			memcpy(first + have, buf, take);
			first[have + take] = 0;
		}
		total += n;
	}
	len = snprintf(body, sizeof(body),
	               "method %s\ncontent_length %lld\nread %lld bytes\nfirst [%s]\n",
	               ri->request_method, ri->content_length, total, first);
	mg_send_http_ok(conn, "text/plain", len);
	mg_write(conn, body, (size_t)len);
	return 200;
}

static int
decline_handler(struct mg_connection *conn, void *cbdata)
{
	(void)conn;
	(void)cbdata;
	return 0;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/m/decline", decline_handler, NULL);
	mg_set_request_handler(ctx, "/m", method_handler, NULL);
	return 0;
}
