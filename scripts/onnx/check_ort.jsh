// Runs the ONNX fixtures in ONNX Runtime (Java, CPU, graph optimizations off) on their reference inputs and
// compares with PyTorch's numbers: the denoiser output (relative L2, max |diff|) and, through the tapped copies
// tap_copies.py writes, each site's near-zero count (|g| <= 0.01f). A manual check, not a test:
//   /usr/bin/python3 scripts/onnx/tap_copies.py /tmp/taps
//   TAPS=/tmp/taps jshell -q --class-path ~/.m2/repository/com/microsoft/onnxruntime/onnxruntime/1.23.2/onnxruntime-1.23.2.jar scripts/onnx/check_ort.jsh
// (run from the repository root)
import ai.onnxruntime.*;
import java.nio.*;
import java.nio.file.*;
import java.util.*;

Object[] npy(Path p) throws Exception {
    byte[] b = Files.readAllBytes(p);
    int hl = (b[8] & 0xff) | ((b[9] & 0xff) << 8);
    String h = new String(b, 10, hl);
    int at = h.indexOf("'shape': (") + 10;
    long[] shape = Arrays.stream(h.substring(at, h.indexOf(")", at)).split(",")).map(String::trim)
            .filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
    ByteBuffer bb = ByteBuffer.wrap(b, 10 + hl, b.length - 10 - hl).order(ByteOrder.LITTLE_ENDIAN);
    if (h.contains("<f4")) { float[] f = new float[(b.length - 10 - hl) / 4]; bb.asFloatBuffer().get(f); return new Object[]{f, shape}; }
    long[] l = new long[(b.length - 10 - hl) / 8]; bb.asLongBuffer().get(l); return new Object[]{l, shape};
}

String R = "colsparse-models/src/test/resources/onnx/";
var env = OrtEnvironment.getEnvironment();

Map<String, OnnxTensor> inputs(String fixture, String ref) throws Exception {
    String[] names = fixture.equals("unet-tiny") ? new String[]{"sample", "timestep", "encoder_hidden_states"}
            : new String[]{"sample", "timestep", "class_labels"};
    Map<String, OnnxTensor> in = new LinkedHashMap<>();
    for (String n : names) {
        Object[] a = npy(Path.of(ref, n + ".npy"));
        if (a[0] instanceof float[] f) in.put(n, OnnxTensor.createTensor(env, FloatBuffer.wrap(f), (long[]) a[1]));
        else in.put(n, OnnxTensor.createTensor(env, LongBuffer.wrap((long[]) a[0]), (long[]) a[1]));
    }
    return in;
}

for (String line : Files.readAllLines(Path.of(System.getenv("TAPS"), "list.txt"))) {
    String[] w = line.split(" ");
    String fixture = w[0];
    String[] sets = fixture.equals("vit-mnist") ? new String[]{"fixed", "colsparse-call0", "colsparse-call1"} : new String[]{"fixed"};
    var opts = new OrtSession.SessionOptions();
    opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
    try (var s = env.createSession(Path.of(System.getenv("TAPS"), w[1]).toString(), opts)) {
        for (String set : sets) {
            String ref = R + fixture + "/reference/" + set;
            List<String> csv = Files.readAllLines(Path.of(ref, "sites.csv"));
            StringBuilder sb = new StringBuilder(w[1] + " " + set + ":");
            try (var r = s.run(inputs(fixture, ref))) {
                float[] got = ((OnnxTensor) r.get(0)).getFloatBuffer().array();
                float[] exp = (float[]) npy(Path.of(ref, "output.npy"))[0];
                double num = 0, den = 0, mx = 0;
                for (int i = 0; i < exp.length; i++) { double d = got[i] - exp[i]; num += d * d; den += exp[i] * (double) exp[i]; mx = Math.max(mx, Math.abs(d)); }
                sb.append(String.format(" output relL2 %.2e max|d| %.2e; near-zero ORT=PyTorch", Math.sqrt(num / den), mx));
                for (int i = 2; i < w.length; i++) {
                    float[] g = ((OnnxTensor) r.get(w[i]).get()).getFloatBuffer().array();
                    int nz = 0;
                    for (float v : g) if (Math.abs(v) <= 0.01f) nz++;
                    String expect = csv.get(i - 1).split(",")[6];
                    sb.append(" ").append(nz).append(nz == Integer.parseInt(expect) ? "=" : "!=").append(expect);
                }
            }
            System.out.println(sb);
        }
    }
}
/exit
