package io.jselect.demos;

/** Python's {@code repr(bytes)}: {@code b'hello'}, {@code b'\xe4\xb8\xadresponse'}. */
public final class BytesRepr {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private BytesRepr() {
    }

    /** Formats {@code length} bytes of {@code data} from {@code offset} exactly as Python 3 prints them. */
    public static String of(byte[] data, int offset, int length) {
        boolean hasSingle = false;
        boolean hasDouble = false;
        for (int i = offset; i < offset + length; i++) {
            hasSingle |= data[i] == '\'';
            hasDouble |= data[i] == '"';
        }
        // Python quotes with ' unless the bytes hold a ' and no ".
        char quote = hasSingle && !hasDouble ? '"' : '\'';
        StringBuilder out = new StringBuilder(length + 3).append('b').append(quote);
        for (int i = offset; i < offset + length; i++) {
            int c = data[i] & 0xFF;
            if (c == quote || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c < 0x20 || c >= 0x7f) {
                out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            } else {
                out.append((char) c);
            }
        }
        return out.append(quote).toString();
    }

    /** Formats all of {@code data}. */
    public static String of(byte[] data) {
        return of(data, 0, data.length);
    }
}
