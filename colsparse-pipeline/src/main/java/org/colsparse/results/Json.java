package org.colsparse.results;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import org.colsparse.layout.LayoutKind;
import org.colsparse.systolic.Dataflow;

import java.io.IOException;
import java.util.function.Function;

/**
 * The one JSON mapper of every file colsparse writes (results.json, stage files, file indexes):
 * snake_case keys, pretty printed, map entries by key, so that equal results are equal bytes.
 * Layouts and dataflows are written by their command-line names ("row-major", "os") and read back
 * into their enums, so a typed result never holds them as free text.
 */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .registerModule(names());

    private Json() {
    }

    private static SimpleModule names() {
        SimpleModule m = new SimpleModule("colsparse-names");
        byName(m, LayoutKind.class, LayoutKind.values(), LayoutKind::cliName);
        byName(m, Dataflow.class, Dataflow.values(), Dataflow::cliName);
        return m;
    }

    private static <E extends Enum<E>> void byName(SimpleModule m, Class<E> type, E[] values, Function<E, String> name) {
        m.addSerializer(type, new JsonSerializer<E>() {
            @Override
            public void serialize(E value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(name.apply(value));
            }
        });
        m.addDeserializer(type, new JsonDeserializer<E>() {
            @Override
            public E deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String text = p.getValueAsString();
                for (E e : values) {
                    if (name.apply(e).equals(text)) {
                        return e;
                    }
                }
                return (E) ctxt.handleWeirdStringValue(type, text, "not a " + type.getSimpleName() + " name");
            }
        });
    }
}
