package org.colsparse.denoiser.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.denoiser.ImageGrid;
import org.colsparse.denoiser.Samples;

import java.nio.file.Path;

/**
 * What the class-conditional image workloads (dit, sd15) share: Fashion-MNIST as data, 28 x 28 x 1
 * samples in [-1, 1] conditioned on the class labels in turn, and an image grid as preview. They
 * differ only in network, recipe and guidance scale.
 */
abstract class FashionImageSpec implements TinySpec {
    @Override
    public TrainingData data() {
        return new FashionData();
    }

    @Override
    public double clipSample() {
        return 1;
    }

    @Override
    public Shape sampleShape(int n) {
        return new Shape(n, 1, FashionData.SIZE, FashionData.SIZE);
    }

    @Override
    public NDArray sampleCond(NDManager manager, int first, int n) {
        return Labels.oneHot(manager, Labels.cycle(first, n, FashionData.CLASSES), FashionData.CLASSES);
    }

    @Override
    public Path writePreview(TinyNet net, Samples samples, Path dir) {
        long[] s = samples.shape();
        Path file = dir.resolve("samples.png");
        ImageGrid.write(file, samples.values(), (int) s[0], (int) s[2], (int) s[3], -1f, 1f, 3);
        return file;
    }
}
