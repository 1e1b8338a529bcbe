/* info: every field of mg_request_info, as text.
 *
 * Headers are listed sorted by name (case-insensitively, repeated names in
 * the order received), since civetbox cannot keep the wire order. Values
 * that differ between any two servers are reduced to what is comparable:
 * remote_addr is only checked to be 127.0.0.1, ports to be set.
 *
 *   /info   (and anything below it)   the description, and how many body
 *                                     bytes mg_read returned
 *   **.info$                          the same, for paths /info does not
 *                                     take
 */

#include <string.h>

#include "civetweb.h"
#include "text.h"

static const char *
or_null(const char *s)
{
	return s ? s : "(null)";
}

static int
info_handler(struct mg_connection *conn, void *cbdata)
{
	static struct text t;
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const struct mg_header *sorted[MG_MAX_HEADERS];
	char body[4096];
	long long body_bytes = 0;
	int i, j, n;

	(void)cbdata;
	while ((n = mg_read(conn, body, sizeof(body))) > 0) {
		body_bytes += n;
	}
	t.len = 0;
	add(&t, "request_method: %s\n", or_null(ri->request_method));
	add(&t, "request_uri: %s\n", or_null(ri->request_uri));
	add(&t, "local_uri_raw: %s\n", or_null(ri->local_uri_raw));
	add(&t, "local_uri: %s\n", or_null(ri->local_uri));
	add(&t, "http_version: %s\n", or_null(ri->http_version));
	add(&t, "query_string: %s\n", or_null(ri->query_string));
	add(&t, "remote_user: %s\n", or_null(ri->remote_user));
	add(&t, "remote_addr is 127.0.0.1: %s\n", strcmp(ri->remote_addr, "127.0.0.1") == 0 ? "yes" : "no");
	add(&t, "content_length: %lld\n", ri->content_length);
	add(&t, "body bytes read: %lld\n", body_bytes);
	add(&t, "remote_port set: %s\n", ri->remote_port > 0 ? "yes" : "no");
	add(&t, "server_port set: %s\n", ri->server_port > 0 ? "yes" : "no");
	add(&t, "is_ssl: %d\n", ri->is_ssl);
	add(&t, "user_data: %s\n", ri->user_data ? "set" : "(null)");
	add(&t, "conn_data: %s\n", ri->conn_data ? "set" : "(null)");
	add(&t, "client_cert: %s\n", ri->client_cert ? "set" : "(null)");
	add(&t, "acceptedWebSocketSubprotocol: %s\n", or_null(ri->acceptedWebSocketSubprotocol));
	add(&t, "num_headers: %d\n", ri->num_headers);

	/* Insertion sort: stable, so repeated names keep their order. */
	n = ri->num_headers;
	for (i = 0; i < n; i++) {
		const struct mg_header *h = &ri->http_headers[i];
		for (j = i; j > 0 && mg_strcasecmp(sorted[j - 1]->name, h->name) > 0; j--) {
			sorted[j] = sorted[j - 1];
		}
		sorted[j] = h;
	}
	for (i = 0; i < n; i++) {
		add(&t, "header: %s: %s\n", sorted[i]->name, sorted[i]->value);
	}

	send_text(conn, "text/plain; charset=utf-8", &t);
	return 200;
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/info", info_handler, NULL);
	mg_set_request_handler(ctx, "**.info$", info_handler, NULL);
	return 0;
}
