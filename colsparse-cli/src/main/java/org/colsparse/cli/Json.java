package org.colsparse.cli;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.IOException;

/** What the commands print as JSON, with the mapper of the files they write ({@link org.colsparse.results.Json}). */
public final class Json {
    public static final ObjectMapper MAPPER = org.colsparse.results.Json.MAPPER;

    private Json() {
    }

    public static void print(PrintWriter out, Object value) {
        try {
            out.println(MAPPER.writeValueAsString(value));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
