package hostfuncs

// builtinMIMETypes is CivetWeb 1.15's built-in MIME table in its order, the
// same as the guest SDK's (guests/c/src/civetbox_info.c); a test keeps the
// two equal.
var builtinMIMETypes = []struct{ ext, mime string }{
	{".bin", "application/octet-stream"},
	{".deb", "application/octet-stream"},
	{".dmg", "application/octet-stream"},
	{".dll", "application/octet-stream"},
	{".doc", "application/msword"},
	{".eps", "application/postscript"},
	{".exe", "application/octet-stream"},
	{".iso", "application/octet-stream"},
	{".js", "application/javascript"},
	{".json", "application/json"},
	{".msi", "application/octet-stream"},
	{".pdf", "application/pdf"},
	{".ps", "application/postscript"},
	{".rtf", "application/rtf"},
	{".xhtml", "application/xhtml+xml"},
	{".xsl", "application/xml"},
	{".xslt", "application/xml"},
	{".ttf", "application/font-sfnt"},
	{".cff", "application/font-sfnt"},
	{".otf", "application/font-sfnt"},
	{".aat", "application/font-sfnt"},
	{".sil", "application/font-sfnt"},
	{".pfr", "application/font-tdpfr"},
	{".woff", "application/font-woff"},
	{".woff2", "application/font-woff2"},
	{".mp3", "audio/mpeg"},
	{".oga", "audio/ogg"},
	{".ogg", "audio/ogg"},
	{".gif", "image/gif"},
	{".ief", "image/ief"},
	{".jpeg", "image/jpeg"},
	{".jpg", "image/jpeg"},
	{".jpm", "image/jpm"},
	{".jpx", "image/jpx"},
	{".png", "image/png"},
	{".svg", "image/svg+xml"},
	{".tif", "image/tiff"},
	{".tiff", "image/tiff"},
	{".wrl", "model/vrml"},
	{".css", "text/css"},
	{".csv", "text/csv"},
	{".htm", "text/html"},
	{".html", "text/html"},
	{".sgm", "text/sgml"},
	{".shtm", "text/html"},
	{".shtml", "text/html"},
	{".txt", "text/plain"},
	{".xml", "text/xml"},
	{".mov", "video/quicktime"},
	{".mp4", "video/mp4"},
	{".mpeg", "video/mpeg"},
	{".mpg", "video/mpeg"},
	{".ogv", "video/ogg"},
	{".qt", "video/quicktime"},
	{".arj", "application/x-arj-compressed"},
	{".gz", "application/x-gunzip"},
	{".rar", "application/x-arj-compressed"},
	{".swf", "application/x-shockwave-flash"},
	{".tar", "application/x-tar"},
	{".tgz", "application/x-tar-gz"},
	{".torrent", "application/x-bittorrent"},
	{".ppt", "application/x-mspowerpoint"},
	{".xls", "application/x-msexcel"},
	{".zip", "application/x-zip-compressed"},
	{".aac", "audio/aac"},
	{".flac", "audio/flac"},
	{".aif", "audio/x-aif"},
	{".m3u", "audio/x-mpegurl"},
	{".mid", "audio/x-midi"},
	{".ra", "audio/x-pn-realaudio"},
	{".ram", "audio/x-pn-realaudio"},
	{".wav", "audio/x-wav"},
	{".bmp", "image/bmp"},
	{".ico", "image/x-icon"},
	{".pct", "image/x-pct"},
	{".pict", "image/pict"},
	{".rgb", "image/x-rgb"},
	{".webm", "video/webm"},
	{".asf", "video/x-ms-asf"},
	{".avi", "video/x-msvideo"},
	{".m4v", "video/x-m4v"},
}

// BuiltinMIMEType is mg_get_builtin_mime_type: the type for file name's
// extension (compared case-insensitively; the name must be longer than the
// extension), "text/plain" when the table has none.
func BuiltinMIMEType(name string) string {
	for _, m := range builtinMIMETypes {
		if len(name) > len(m.ext) && asciiEqualFold(name[len(name)-len(m.ext):], m.ext) {
			return m.mime
		}
	}
	return "text/plain"
}

// asciiEqualFold compares as C's tolower does in the "C" locale: only ASCII
// letters fold (strings.EqualFold would also match the Kelvin sign to "k").
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range len(a) {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
