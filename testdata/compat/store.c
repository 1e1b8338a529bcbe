/* store: mg_store_body.
 *
 *   /store/<path>       stores the body at <path> (relative to the server's
 *                       upload directory in civetbox, to its working
 *                       directory in CivetWeb) and answers with what
 *                       mg_store_body returned.
 *   /store-after/<path> reads one byte of the body first: CivetWeb refuses
 *                       to store a body already read from.
 */

#include <string.h>

#include "civetweb.h"
#include "text.h"

static struct text reply;

static int
store(struct mg_connection *conn, const char *prefix, int read_first)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const char *path = ri->local_uri + strlen(prefix);
	char one;
	int first = 0;
	long long ret;

	if (read_first) {
		first = mg_read(conn, &one, 1);
	}
	ret = mg_store_body(conn, path);
	reply.len = 0;
	if (read_first) {
		add(&reply, "read first %d\n", first);
	}
	add(&reply, "mg_store_body(\"%s\") returned %lld\n", path, ret);
	/* Also in the log: a response the host answered itself (413) hides it. */
	mg_cry(conn, "compat-observe: mg_store_body returned %lld", ret);
	send_text(conn, "text/plain", &reply);
	return 200;
}

static int
store_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	return store(conn, "/store/", 0);
}

static int
store_after_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	return store(conn, "/store-after/", 1);
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/store/", store_handler, NULL);
	mg_set_request_handler(ctx, "/store-after/", store_after_handler, NULL);
	return 0;
}
