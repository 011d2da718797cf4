package org.colsparse.runtime;

import org.colsparse.tensor.TensorInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a training checkpoint's wrapper is found by the model's own parameter names. */
class WrappedStateDictTest {
    private static final Set<String> DECLARED = Set.of("net.weight", "net.bias");

    private static List<String> names(WrappedStateDict w) {
        return w.tensors().stream().map(TensorInfo::name).toList();
    }

    @Test
    void aPlainStateDictIsReadAsItIs() {
        WrappedStateDict w = WrappedStateDict.of(new MapTensorSource("plain.pth").put("net.weight", 2).put("net.bias", 1)
                .put("model_state_dict.net.weight", 2), DECLARED);
        assertEquals("", w.prefix());
        assertEquals("plain.pth", w.file());
        assertEquals(List.of("net.weight", "net.bias", "model_state_dict.net.weight"), names(w), "nothing dropped: the loader names what does not fit");
        assertEquals(0, w.skipped());
    }

    @Test
    void aTrainingCheckpointIsReadThroughTheWrapperThatHoldsTheModelsNames() {
        MapTensorSource file = new MapTensorSource("train.pth")
                .put("model_state_dict.net.weight", new float[] {3, 4}, 2).put("model_state_dict.net.bias", 1)
                .put("optimizer_state_dict.state.0.exp_avg", 2).put("optimizer_state_dict.state.0.step", 1);
        WrappedStateDict w = WrappedStateDict.of(file, DECLARED);
        assertEquals("model_state_dict.", w.prefix());
        assertEquals(List.of("net.weight", "net.bias"), names(w));
        assertEquals(2, w.skipped(), "the optimizer's two tensors");
        assertEquals("train.pth (weights under 'model_state_dict.')", w.file());
        float[] v = new float[2];
        w.data("net.weight").readFloats(0, v, 0, 2);
        assertArrayEquals(new float[] {3, 4}, v);

        // an EMA copy beside the raw weights wins, as the official samplers choose; a wrapper holding more of the names wins over one holding fewer
        assertEquals("ema.", WrappedStateDict.of(new MapTensorSource("ema.pth").put("model.net.weight", 2).put("model.net.bias", 1)
                .put("ema.net.weight", 2).put("ema.net.bias", 1), DECLARED).prefix());
        assertEquals("state_dict.", WrappedStateDict.of(new MapTensorSource("pl.ckpt").put("ema.net.weight", 2)
                .put("state_dict.net.weight", 2).put("state_dict.net.bias", 1), DECLARED).prefix());
        // undeclared tensors inside the wrapper stay visible, for the loader to report
        assertEquals(List.of("net.weight", "net.bias", "net.extra"), names(WrappedStateDict.of(new MapTensorSource("x.pth")
                .put("model.net.weight", 2).put("model.net.bias", 1).put("model.net.extra", 1), DECLARED)));
    }

    @Test
    void aFileWithoutTheModelsNamesIsLeftAsItIs() {
        WrappedStateDict w = WrappedStateDict.of(new MapTensorSource("other.pth").put("state_dict.fc.weight", 2), DECLARED);
        assertEquals("", w.prefix());
        assertEquals(List.of("state_dict.fc.weight"), names(w));
    }
}
