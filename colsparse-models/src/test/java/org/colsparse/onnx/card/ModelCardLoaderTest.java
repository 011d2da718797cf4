package org.colsparse.onnx.card;

import org.colsparse.onnx.card.ModelCard.Batching;
import org.colsparse.onnx.card.ModelCard.BetaKind;
import org.colsparse.onnx.card.ModelCard.ClassOfSample;
import org.colsparse.onnx.card.ModelCard.Constant;
import org.colsparse.onnx.card.ModelCard.Dtype;
import org.colsparse.onnx.card.ModelCard.FromFile;
import org.colsparse.onnx.card.ModelCard.PairOrder;
import org.colsparse.onnx.card.ModelCard.Prediction;
import org.colsparse.onnx.card.ModelCard.SamplerKind;
import org.colsparse.onnx.card.ModelCard.Spacing;
import org.colsparse.onnx.card.ModelCard.TimestepConvention;
import org.colsparse.onnx.card.ModelCard.Variance;
import org.colsparse.tensor.NpyWriter;
import org.colsparse.util.InputException;
import org.colsparse.workload.Modality;
import org.colsparse.workload.WorkloadGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelCardLoaderTest {
    static final Path FIXTURES = Path.of("src/test/resources/onnx");

    /** A guided DDPM card over a cond file of two rows; the faults below are edits of it. */
    static final String DDPM = """
            workload: test-ddpm
            group: unet-transformer
            modality: image
            model: model.onnx
            inputs:
              sample: {name: sample, shape: [2, 4, 8, 8], dtype: float32}
              timestep: {name: timestep, shape: [1], dtype: int64, convention: ddpm-index}
              conditioning:
                - name: context
                  shape: [2, 3, 8]
                  dtype: float32
                  value: {file: context.npy, row: 1}
                  unconditional: zeros
            output: {name: out, shape: [2, 4, 8, 8], predicts: epsilon}
            sampler:
              kind: ddpm
              steps: 10
              training_steps: 1000
              beta_schedule: {kind: linear, beta_start: 0.0001, beta_end: 0.02}
              spacing: linspace
              variance: fixed-small
              guidance: {scale: 3.0, batching: pair, order: uncond-first}
            """;

    @TempDir
    Path dir;

    @Test
    void vitMnistFixtureLoads() {
        ModelCard c = ModelCardLoader.load(FIXTURES.resolve("vit-mnist/card.yaml"));
        assertEquals("vit-mnist-onnx", c.workload());
        assertEquals(WorkloadGroup.PURE_TRANSFORMER, c.group());
        assertEquals(Modality.IMAGE, c.modality());
        assertTrue(Files.isRegularFile(c.model()) && c.model().endsWith("vit-mnist.onnx"));
        assertEquals("sample", c.sample().name());
        assertArrayEquals(new long[] {1, 1, 28, 28}, c.sample().shape());
        assertEquals(TimestepConvention.FLOW_TIME, c.timestep().convention());
        assertEquals(Dtype.FLOAT32, c.timestep().tensor().dtype());
        assertEquals(1, c.conditioning().size());
        assertEquals("class_labels", c.conditioning().get(0).tensor().name());
        assertEquals(Dtype.INT64, c.conditioning().get(0).tensor().dtype());
        assertEquals(new ClassOfSample(10), c.conditioning().get(0).value());
        assertEquals(new Constant(10), c.conditioning().get(0).unconditional());
        assertEquals("x1", c.output().name());
        assertEquals(Prediction.X0, c.output().predicts());
        assertEquals(SamplerKind.FLOW_EULER, c.sampler().kind());
        assertEquals(50, c.sampler().steps());
        assertEquals(2.0, c.sampler().guidance().scale());
        assertEquals(Batching.SEPARATE_CALLS, c.sampler().guidance().batching());
        assertEquals(0.3, c.sampler().guidance().windowStart());
        assertEquals(0.7, c.sampler().guidance().windowEnd());
        assertArrayEquals(new double[] {0, 1}, c.sampler().clip());
    }

    @Test
    void ditTinyFixtureLoads() {
        ModelCard c = ModelCardLoader.load(FIXTURES.resolve("dit-tiny/card.yaml"));
        assertEquals("dit-tiny-onnx", c.workload());
        assertArrayEquals(new long[] {2, 4, 8, 8}, c.sample().shape());
        assertArrayEquals(new long[] {2, 8, 8, 8}, c.output().shape());
        assertEquals(Dtype.INT64, c.timestep().tensor().dtype());
        assertEquals(SamplerKind.DDPM, c.sampler().kind());
        assertEquals(250, c.sampler().steps());
        assertEquals(1000, c.sampler().trainingSteps());
        assertEquals(new ModelCard.BetaSchedule(BetaKind.LINEAR, 0.0001, 0.02), c.sampler().betas());
        assertEquals(Spacing.IDDPM, c.sampler().spacing());
        assertEquals(Variance.LEARNED_RANGE, c.sampler().variance());
        assertEquals(Batching.PAIR, c.sampler().guidance().batching());
        assertEquals(PairOrder.COND_FIRST, c.sampler().guidance().order());
        assertEquals(3, c.sampler().guidance().channels());
        assertFalse(c.sampler().guidance().windowed());
        assertNull(c.sampler().clip());
    }

    @Test
    void unetTinyFixtureLoads() {
        ModelCard c = ModelCardLoader.load(FIXTURES.resolve("unet-tiny/card.yaml"));
        assertEquals(WorkloadGroup.UNET_TRANSFORMER, c.group());
        assertEquals(SamplerKind.DDIM, c.sampler().kind());
        assertEquals(Spacing.LEADING, c.sampler().spacing());
        assertEquals(1, c.sampler().stepsOffset());
        assertFalse(c.sampler().finalAlphaOne());
        assertEquals(new ModelCard.BetaSchedule(BetaKind.SCALED_LINEAR, 0.00085, 0.012), c.sampler().betas());
        assertEquals(PairOrder.UNCOND_FIRST, c.sampler().guidance().order());
        ModelCard.Conditioning e = c.conditioning().get(0);
        assertEquals("encoder_hidden_states", e.tensor().name());
        assertEquals(1, ((FromFile) e.value()).row());
        assertEquals(0, ((FromFile) e.unconditional()).row());
        assertTrue(((FromFile) e.value()).file().endsWith("reference/fixed/encoder_hidden_states.npy"));
    }

    @Test
    void theTestCardItselfLoads() throws IOException {
        ModelCard c = ModelCardLoader.load(write(DDPM));
        assertEquals("test-ddpm", c.workload());
        assertEquals(new FromFile(dir.resolve("context.npy"), 1), c.conditioning().get(0).value());
        assertEquals(new ModelCard.Zeros(), c.conditioning().get(0).unconditional());
    }

    @Test
    void unknownKeysAreNamed() throws IOException {
        bad(DDPM + "color: red\n", "unknown key 'color'");
        bad(DDPM.replace("scale: 3.0,", "scale: 3.0, rescale: 0.7,"), "unknown key 'sampler.guidance.rescale'");
        bad(DDPM.replace("dtype: int64,", "dtype: int64, units: ms,"), "unknown key 'inputs.timestep.units'");
        bad(DDPM.replace("value: {file: context.npy, row: 1}", "value: {prompt: a cat}"), "unknown key 'inputs.conditioning[0].value.prompt'");
        // a key of another sampler kind is unknown to this one
        bad(DDPM.replace("variance: fixed-small", "variance: fixed-small\n  eta: 0.5"), "unknown key 'sampler.eta'");
        // a key given twice is refused rather than silently taking its last value
        bad(DDPM.replace("  steps: 10\n", "  steps: 10\n  steps: 20\n"), "'steps'");
    }

    @Test
    void missingKeysAreNamed() throws IOException {
        bad(DDPM.replace("modality: image\n", ""), "missing key 'modality'");
        bad(DDPM.replace("  spacing: linspace\n", ""), "missing key 'sampler.spacing'");
        bad(DDPM.replace(", order: uncond-first", ""), "missing key 'sampler.guidance.order'");
        bad(DDPM.replace(", convention: ddpm-index", ""), "missing key 'inputs.timestep.convention'");
        bad(DDPM.replace("      unconditional: zeros\n", ""), "missing key 'inputs.conditioning[0].unconditional'");
        bad(DDPM.replace("beta_end: 0.02}", "}").replace(", beta_start: 0.0001", ""), "missing key 'sampler.beta_schedule.beta_end'");
    }

    @Test
    void wrongTypesAreNamed() throws IOException {
        bad(DDPM.replace("  steps: 10\n", "  steps: ten\n"), "sampler.steps");
        bad(DDPM.replace("  steps: 10\n", "  steps: 2.5\n"), "sampler.steps");
        bad(DDPM.replace("shape: [2, 4, 8, 8], dtype: float32}", "shape: [2, four, 8, 8], dtype: float32}"), "inputs.sample.shape");
        bad(DDPM.replace("scale: 3.0", "scale: strong"), "sampler.guidance.scale");
        bad(DDPM.replace("inputs:\n", "inputs: 3\nx:\n"), "unknown key 'x'");
        bad(DDPM.replace("- name: context", "- name: [context]"), "inputs.conditioning[0].name");
    }

    @Test
    void badValuesAreNamed() throws IOException {
        bad(DDPM.replace("group: unet-transformer", "group: cnn"), "group");
        bad(DDPM.replace("predicts: epsilon", "predicts: noise"), "output.predicts");
        bad(DDPM.replace("dtype: int64, convention: ddpm-index", "dtype: int64, convention: flow-time"), "inputs.timestep.convention");
        bad(DDPM.replace("beta_start: 0.0001", "beta_start: 1.5"), "sampler.beta_schedule.beta_start");
        bad(DDPM.replace("  steps: 10\n", "  steps: 2000\n"), "sampler.steps");
        bad(DDPM.replace("kind: ddpm", "kind: pndm"), "sampler.kind");
        bad(DDPM.replace("workload: test-ddpm", "workload: Test DDPM"), "workload");
        // the pair needs two rows; one row is a single call's shape
        bad(DDPM.replace("shape: [2, 4, 8, 8], dtype: float32}", "shape: [1, 4, 8, 8], dtype: float32}"), "inputs.sample.shape");
        bad(DDPM.replace("shape: [2, 4, 8, 8], predicts", "shape: [2, 4, 8, 9], predicts"), "output.shape");
        bad(DDPM.replace("name: context", "name: sample"), "inputs.conditioning[0].name");
        bad(DDPM.replace("value: {file: context.npy, row: 1}", "value: {class-of-sample: 10}"), "inputs.conditioning[0].value.class-of-sample");
        bad(DDPM.replace("value: {file: context.npy, row: 1}", "value: {file: context.npy, row: 2}"), "inputs.conditioning[0].value.row");
    }

    @Test
    void missingOrMisshapenFilesAreNamed() throws IOException {
        bad(DDPM.replace("model: model.onnx", "model: elsewhere.onnx"), "model: model file");
        bad(DDPM.replace("{file: context.npy", "{file: absent.npy"), "inputs.conditioning[0].value.file");
        Path card = write(DDPM);
        NpyWriter.write(dir.resolve("context.npy"), new long[] {2, 3, 7}, new float[42]);
        expectLine(card, "inputs.conditioning[0].value.file");
        Files.writeString(dir.resolve("context.npy"), "not a tensor");
        expectLine(card, "inputs.conditioning[0].value.file");
        InputException e = assertThrows(InputException.class, () -> ModelCardLoader.load(dir.resolve("nothing.yaml")));
        assertEquals(dir.resolve("nothing.yaml") + ": model card not found", e.getMessage());
        Files.writeString(dir.resolve("broken.yaml"), "workload: [unclosed\n");
        expectLine(dir.resolve("broken.yaml"), "not valid YAML");
    }

    /** Every complete card in docs/model-card.md loads (with stand-in model and tensor files). */
    @Test
    void theDocumentedCardsLoad() throws IOException {
        String doc = Files.readString(Path.of("../docs/model-card.md"));
        java.util.List<String> ids = new java.util.ArrayList<>();
        int at = 0;
        while ((at = doc.indexOf("```yaml\nworkload:", at)) >= 0) {
            int start = at + "```yaml\n".length();
            int end = doc.indexOf("```", start);
            Path sub = Files.createDirectories(dir.resolve("doc" + ids.size()));
            Files.createDirectories(sub.resolve("reference/fixed"));
            for (String model : new String[] {"vit-mnist.onnx", "dit-tiny.onnx", "unet-tiny.onnx", "unet.onnx"}) {
                Files.write(sub.resolve(model), new byte[] {0});
            }
            NpyWriter.write(sub.resolve("reference/fixed/encoder_hidden_states.npy"), new long[] {2, 4, 8}, new float[64]);
            NpyWriter.write(sub.resolve("prompt.npy"), new long[] {1, 77, 1024}, new float[77 * 1024]);
            Files.writeString(sub.resolve("card.yaml"), doc.substring(start, end));
            ids.add(ModelCardLoader.load(sub.resolve("card.yaml")).workload());
            at = end;
        }
        assertEquals(java.util.List.of("vit-mnist-onnx", "dit-tiny-onnx", "unet-tiny-onnx", "my-unet-v"), ids);
    }

    private Path write(String text) throws IOException {
        Files.write(dir.resolve("model.onnx"), new byte[] {0});
        if (!Files.exists(dir.resolve("context.npy"))) {
            NpyWriter.write(dir.resolve("context.npy"), new long[] {2, 3, 8}, new float[48]);
        }
        Path card = dir.resolve("card.yaml");
        Files.writeString(card, text);
        return card;
    }

    private void bad(String text, String key) throws IOException {
        expectLine(write(text), key);
    }

    private static void expectLine(Path card, String key) {
        InputException e = assertThrows(InputException.class, () -> ModelCardLoader.load(card));
        String m = e.getMessage();
        assertTrue(m.startsWith(card + ": "), m);
        assertTrue(m.contains(key), "'" + key + "' not in: " + m);
        assertFalse(m.contains("\n"), m);
    }
}
