package io.jselect.demos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Python 3's repr(bytes), byte for byte (the cases checked against CPython 3.11). */
class BytesReprTest {
    static String repr(String s) {
        return BytesRepr.of(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void asPythonPrintsThem() {
        assertEquals("b'hello'", repr("hello"));
        assertEquals("b''", repr(""));
        assertEquals("b'\\xe4\\xb8\\xad\\xe6\\x96\\x87response'", repr("中文response"));
        assertEquals("b'tab\\there\\nnew\\rline'", repr("tab\there\nnew\rline"));
        assertEquals("b'back\\\\slash'", repr("back\\slash"));
        assertEquals("b\"it's\"", repr("it's"));
        assertEquals("b'say \"hi\"'", repr("say \"hi\""));
        assertEquals("b'both \\' and \"'", repr("both ' and \""));
        assertEquals("b'\\x00\\x1f\\x7f~ '", BytesRepr.of(new byte[] {0, 0x1f, 0x7f, '~', ' '}));
        assertEquals("b'\\xff'", BytesRepr.of(new byte[] {(byte) 0xff}));
    }
}
