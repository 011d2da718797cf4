package org.colsparse.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import org.colsparse.onnx.proto.Onnx.AttributeProto;
import org.colsparse.onnx.proto.Onnx.GraphProto;
import org.colsparse.onnx.proto.Onnx.ModelProto;
import org.colsparse.onnx.proto.Onnx.NodeProto;
import org.colsparse.onnx.proto.Onnx.TensorProto;
import org.colsparse.util.InputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * An ONNX model read from a file: a protobuf message and nothing else, so loading never runs code
 * from it (ONNX has no code; custom-op libraries are loaded only on request and colsparse never asks).
 * Everything the file holds that colsparse does not look at survives a rewrite unchanged (see the
 * schema in {@code src/main/proto}).
 *
 * @param source where the model came from, for error messages
 */
public record OnnxModel(ModelProto proto, String source) {
    /** Protobuf cannot address more; larger models keep their weights as external data. */
    public static final long MAX_BYTES = Integer.MAX_VALUE;

    public OnnxModel {
        if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0) {
            throw new InputException(source + ": not an ONNX model: no graph nodes");
        }
        if (proto.getOpsetImportCount() == 0) {
            throw new InputException(source + ": not an ONNX model: no opset_import");
        }
        checkInline(proto.getGraph(), source);
    }

    /** The model in {@code file}; a missing, oversized, truncated or corrupt file is an {@link InputException}. */
    public static OnnxModel load(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (size > MAX_BYTES) {
            throw new InputException(file + ": " + size + " bytes, more than an ONNX file can hold inline (2 GiB); "
                    + "models this large store weights as external data, which colsparse does not read");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static OnnxModel parse(InputStream in, String source) throws IOException {
        CodedInputStream coded = CodedInputStream.newInstance(in);
        coded.setSizeLimit(Integer.MAX_VALUE);
        // graphs nest (If/Loop bodies, function attributes): allow deep but finite nesting
        coded.setRecursionLimit(1000);
        ModelProto proto;
        try {
            proto = ModelProto.parseFrom(coded);
        } catch (InvalidProtocolBufferException e) {
            throw corrupt(source, e);
        }
        return new OnnxModel(proto, source);
    }

    private static InputException corrupt(String source, InvalidProtocolBufferException e) {
        String why = e.getMessage() == null ? "" : e.getMessage();
        if (why.contains("ended unexpectedly")) {
            return new InputException(source + ": truncated ONNX file (the protobuf message ends early)", e);
        }
        return new InputException(source + ": not an ONNX model (corrupt protobuf: " + why.lines().findFirst().orElse("") + ")", e);
    }

    /** Weights elsewhere would be read from paths the file names: refused, with the first such tensor named. */
    private static void checkInline(GraphProto g, String source) {
        for (TensorProto t : g.getInitializerList()) {
            checkInline(t, source);
        }
        for (NodeProto n : g.getNodeList()) {
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasT()) {
                    checkInline(a.getT(), source);
                }
                for (TensorProto t : a.getTensorsList()) {
                    checkInline(t, source);
                }
                if (a.hasG()) {
                    checkInline(a.getG(), source);
                }
                for (GraphProto sub : a.getGraphsList()) {
                    checkInline(sub, source);
                }
            }
        }
    }

    private static void checkInline(TensorProto t, String source) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
            throw new InputException(source + ": tensor '" + t.getName() + "' is stored as external data; "
                    + "colsparse reads only self-contained ONNX files (save the model with its weights inline)");
        }
    }

    public GraphProto graph() {
        return proto.getGraph();
    }

    /** The opset version imported for {@code domain} ("" or "ai.onnx" for the default domain), or 0. */
    public long opset(String domain) {
        String d = domain.equals("ai.onnx") ? "" : domain;
        return proto.getOpsetImportList().stream()
                .filter(o -> (o.getDomain().equals("ai.onnx") ? "" : o.getDomain()).equals(d))
                .mapToLong(o -> o.getVersion()).max().orElse(0);
    }

    public byte[] toBytes() {
        return proto.toByteArray();
    }

    /** This model with {@code graph} in place of its graph, everything else kept. */
    public OnnxModel withGraph(GraphProto graph, String what) {
        return new OnnxModel(proto.toBuilder().setGraph(graph).build(), source + " (" + what + ")");
    }
}
