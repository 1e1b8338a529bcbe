/* files: mg_send_file and friends serving the document root
 * (testdata/compat/docroot; natively CivetWeb's document_root option, in
 * civetbox the granted DocumentRoot). Paths are built as a CivetWeb handler
 * builds them, mg_get_option(ctx, "document_root") followed by a path, so
 * the same code serves an absolute root natively and "." in civetbox.
 *
 *   /static/<p>   mg_send_file(root + "/<p>")
 *   /mime/<p>     mg_send_mime_file(root + "/<p>", "application/x-compat")
 *   /extra/<p>    mg_send_mime_file2(root + "/<p>", NULL, two header lines)
 *   /body/<p>     a raw head written by the handler, then text,
 *                 mg_send_file_body(root + "/<p>") and more text; reports
 *                 mg_send_file_body's result
 *   /query?path=  mg_send_file(root + "/" + the decoded path variable),
 *                 whatever it holds
 *   /after        mg_printf text, then mg_send_file: the text goes first
 */

#include <stdio.h>
#include <string.h>

#include "civetweb.h"

static char path[8192];

/* root_path builds the document root followed by "/" and rest. */
static const char *
root_path(struct mg_connection *conn, const char *rest)
{
	const char *root = mg_get_option(mg_get_context(conn), "document_root");

	snprintf(path, sizeof(path), "%s/%s", root, rest);
	return path;
}

/* after returns what follows prefix in the request's local_uri. */
static const char *
after(struct mg_connection *conn, const char *prefix)
{
	const char *uri = mg_get_request_info(conn)->local_uri;

	return uri + strlen(prefix);
}

static int
static_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_send_file(conn, root_path(conn, after(conn, "/static/")));
	return 200;
}

static int
mime_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_send_mime_file(conn, root_path(conn, after(conn, "/mime/")), "application/x-compat");
	return 200;
}

static int
extra_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_send_mime_file2(conn, root_path(conn, after(conn, "/extra/")), NULL,
	                   "X-Extra: one\r\nX-Other: two\r\n");
	return 200;
}

static int
body_handler(struct mg_connection *conn, void *cbdata)
{
	int rc;

	(void)cbdata;
	mg_printf(conn, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
	                "Connection: close\r\n\r\n[before]\n");
	rc = mg_send_file_body(conn, root_path(conn, after(conn, "/body/")));
	mg_printf(conn, "[after]\n");
	mg_cry(conn, "compat-observe: mg_send_file_body returned %d", rc);
	return 200;
}

static int
query_handler(struct mg_connection *conn, void *cbdata)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	char value[4096];
	const char *qs = ri->query_string ? ri->query_string : "";

	(void)cbdata;
	if (mg_get_var(qs, strlen(qs), "path", value, sizeof(value)) < 0) {
		mg_send_http_error(conn, 400, "no path");
		return 400;
	}
	mg_send_file(conn, root_path(conn, value));
	return 200;
}

static int
after_handler(struct mg_connection *conn, void *cbdata)
{
	(void)cbdata;
	mg_printf(conn, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nprinted first\n");
	mg_send_file(conn, root_path(conn, "notes.txt"));
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/static/", static_handler, NULL);
	mg_set_request_handler(ctx, "/mime/", mime_handler, NULL);
	mg_set_request_handler(ctx, "/extra/", extra_handler, NULL);
	mg_set_request_handler(ctx, "/body/", body_handler, NULL);
	mg_set_request_handler(ctx, "/query", query_handler, NULL);
	mg_set_request_handler(ctx, "/after", after_handler, NULL);
	return 0;
}
