/* misc: helpers a handler calls besides request and response.
 *
 *   /misc/md5     mg_md5 of fixed strings, several arguments, the query
 *                 string and the request body
 *   /misc/mime    mg_get_builtin_mime_type for a list of file names
 *   /misc/options mg_get_valid_options: every option name, type and default
 *   /misc/locks   mg_lock_context/mg_lock_connection around a counter
 */

#include <string.h>

#include "civetweb.h"
#include "text.h"

static int
md5_handler(struct mg_connection *conn, void *cbdata)
{
	static struct text t;
	static char body[65536];
	const struct mg_request_info *ri = mg_get_request_info(conn);
	char digest[33];
	size_t len = 0;
	int n;

	(void)cbdata;
	t.len = 0;
	while (len < sizeof(body) - 1 && (n = mg_read(conn, body + len, sizeof(body) - 1 - len)) > 0) {
		len += (size_t)n;
	}
	body[len] = '\0';
	add(&t, "empty: %s\n", mg_md5(digest, NULL));
	add(&t, "\"\": %s\n", mg_md5(digest, "", NULL));
	add(&t, "abc: %s\n", mg_md5(digest, "abc", NULL));
	add(&t, "a,b,c: %s\n", mg_md5(digest, "a", "b", "c", NULL));
	add(&t, "user:realm:pass: %s\n", mg_md5(digest, "user", ":", "realm", ":", "pass", NULL));
	add(&t, "query: %s\n", mg_md5(digest, ri->query_string ? ri->query_string : "(null)", NULL));
	add(&t, "body (%zu bytes): %s\n", len, mg_md5(digest, body, NULL));
	send_text(conn, "text/plain", &t);
	return 200;
}

static const char *const names[] = {
    "index.html", "INDEX.HTM", "style.css", "app.js", "data.json", "image.PNG", "photo.jpeg",
    "a.svg", "font.woff2", "archive.tar.gz", "doc.pdf", "movie.mp4", "song.mp3", "x.wasm",
    "noext", ".hidden", "trailing.", "dir/file.txt", "file.txt?q=1", "a.unknownext", "",
};

static int
mime_handler(struct mg_connection *conn, void *cbdata)
{
	static struct text t;
	size_t i;

	(void)cbdata;
	t.len = 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		add(&t, "%s: %s\n", names[i], mg_get_builtin_mime_type(names[i]));
	}
	send_text(conn, "text/plain", &t);
	return 200;
}

static int
options_handler(struct mg_connection *conn, void *cbdata)
{
	static struct text t;
	const struct mg_option *o;

	(void)cbdata;
	t.len = 0;
	for (o = mg_get_valid_options(); o->name != NULL; o++) {
		add(&t, "%s type=%d default=%s\n", o->name, o->type,
		    o->default_value ? o->default_value : "(null)");
	}
	add(&t, "unknown option: %s\n",
	    mg_get_option(mg_get_context(conn), "no_such_option") ? "non-NULL" : "NULL");
	send_text(conn, "text/plain", &t);
	return 200;
}

static int counter;

static int
locks_handler(struct mg_connection *conn, void *cbdata)
{
	static struct text t;
	int seen;

	(void)cbdata;
	t.len = 0;
	mg_lock_context(mg_get_context(conn));
	mg_lock_connection(conn);
	seen = ++counter;
	mg_unlock_connection(conn);
	mg_unlock_context(mg_get_context(conn));
	add(&t, "locked and unlocked; counter %s\n", seen > 0 ? "advanced" : "broken");
	send_text(conn, "text/plain", &t);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/misc/md5", md5_handler, NULL);
	mg_set_request_handler(ctx, "/misc/mime", mime_handler, NULL);
	mg_set_request_handler(ctx, "/misc/options", options_handler, NULL);
	mg_set_request_handler(ctx, "/misc/locks", locks_handler, NULL);
	return 0;
}
