package org.colsparse.tensor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.colsparse.util.InputException;
import org.colsparse.util.Printable;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A {@code .safetensors} file: an 8-byte little-endian header length, a JSON header mapping names to
 * dtype, shape and [begin, end) byte offsets into the data that follows, then the raw little-endian
 * data. The header is validated against the file size (every range inside the data, no overlaps,
 * byte length = elements x dtype size); {@code __metadata__} is skipped.
 */
final class SafetensorsSource extends NamedTensors {
    /** The format's own limit on the header size. */
    private static final long MAX_HEADER = 100L << 20;
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final OpenedFile file;

    private SafetensorsSource(OpenedFile file) {
        super(file.name);
        this.file = file;
    }

    private record Range(String name, long begin, long end) {
    }

    static SafetensorsSource open(Path path) {
        OpenedFile f = OpenedFile.open(path);
        try {
            SafetensorsSource src = new SafetensorsSource(f);
            String file = f.name;
            long len = f.bytes.length();
            if (len < 8) {
                throw new InputException(file + ": not a .safetensors file (only " + len + " bytes)");
            }
            long n = ByteBuffer.wrap(f.bytes.bytes(0, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (n < 2 || n > MAX_HEADER) {
                throw new InputException(file + ": not a .safetensors file (header length " + Long.toUnsignedString(n) + ")");
            }
            if (8 + n > len) {
                throw new InputException(file + ": truncated: header needs " + n + " bytes, file has " + (len - 8) + " after the length");
            }
            JsonNode header;
            try {
                header = JSON.readTree(new String(f.bytes.bytes(8, (int) n), StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new InputException(file + ": malformed .safetensors JSON header (" + Printable.excerpt(e.getOriginalMessage()) + ")");
            }
            if (header == null || !header.isObject()) {
                throw new InputException(file + ": .safetensors header is not a JSON object");
            }
            ByteSource data = f.bytes.slice(8 + n, len - 8 - n);
            List<Range> ranges = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String name = field.getKey();
                if (name.equals("__metadata__")) {
                    continue;
                }
                String where = file + ": tensor '" + Printable.excerpt(name) + "'";
                JsonNode t = field.getValue();
                if (!t.isObject() || !t.path("dtype").isTextual() || !t.path("shape").isArray()
                        || !t.path("data_offsets").isArray() || t.path("data_offsets").size() != 2) {
                    throw new InputException(where + ": header entry needs dtype, shape and data_offsets [begin, end]");
                }
                DType dtype = dtype(t.get("dtype").asText(), where);
                if (t.get("shape").size() > NpyHeader.MAX_RANK) {
                    throw new InputException(where + ": shape has " + t.get("shape").size() + " dimensions (at most "
                            + NpyHeader.MAX_RANK + ")");
                }
                long[] shape = new long[t.get("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = nonNegative(t.get("shape").get(i), where + ": shape");
                }
                long begin = nonNegative(t.get("data_offsets").get(0), where + ": data_offsets");
                long end = nonNegative(t.get("data_offsets").get(1), where + ": data_offsets");
                TensorInfo info = new TensorInfo(name, dtype, shape);
                long bytes;
                try {
                    bytes = Math.multiplyExact(info.elementCount(), dtype.bytes());
                } catch (ArithmeticException e) {
                    throw new InputException(where + ": shape " + info.shapeString() + " is too large");
                }
                if (begin > end) {
                    throw new InputException(where + ": data_offsets [" + begin + ", " + end + "] are reversed");
                }
                if (end > data.length()) {
                    throw new InputException(where + ": data_offsets end " + end + " beyond the " + data.length()
                            + " data bytes in the file (truncated?)");
                }
                if (end - begin != bytes) {
                    throw new InputException(where + ": " + (end - begin) + " bytes for shape " + info.shapeString()
                            + " of " + dtype + " which needs " + bytes);
                }
                ranges.add(new Range(name, begin, end));
                ByteSource slice = data.slice(begin, bytes);
                src.add(new DenseTensorData(info, () -> slice, ByteOrder.LITTLE_ENDIAN));
            }
            ranges.sort(Comparator.comparingLong(Range::begin).thenComparingLong(Range::end));
            Range reach = null; // the range reaching furthest so far
            for (Range r : ranges) {
                if (r.begin() == r.end()) {
                    continue;
                }
                if (reach != null && r.begin() < reach.end()) {
                    throw new InputException(file + ": tensors '" + Printable.excerpt(reach.name()) + "' and '"
                            + Printable.excerpt(r.name()) + "' overlap in the data");
                }
                if (reach == null || r.end() > reach.end()) {
                    reach = r;
                }
            }
            return src;
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private static long nonNegative(JsonNode v, String where) {
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
            throw new InputException(where + " has an invalid value " + Printable.excerpt(String.valueOf(v)));
        }
        return v.asLong();
    }

    private static DType dtype(String s, String where) {
        return switch (s) {
            case "F16" -> DType.F16;
            case "BF16" -> DType.BF16;
            case "F32" -> DType.F32;
            case "F64" -> DType.F64;
            case "I8" -> DType.I8;
            case "U8" -> DType.U8;
            case "I16" -> DType.I16;
            case "I32" -> DType.I32;
            case "I64" -> DType.I64;
            case "BOOL" -> DType.BOOL;
            default -> throw new InputException(where + ": unsupported dtype " + Printable.excerpt(s)
                    + " (supported: F16 BF16 F32 F64 I8 U8 I16 I32 I64 BOOL)");
        };
    }

    @Override
    public void close() {
        file.close();
    }
}
