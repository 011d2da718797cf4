package org.colsparse.denoiser;

/**
 * A tensor file a full-size model needs beside its weights (a text encoder's output, music
 * features), given on the command line as {@code --cond NAME=FILE}. The project never runs the
 * encoders that make these: users export them once with the model's own tooling.
 *
 * @param name        the NAME in {@code --cond NAME=FILE}
 * @param shape       the documented shape, e.g. "(77, 768) float32"
 * @param required    false when the model has a documented default (then {@code description} says which)
 * @param description what the tensor is and how to produce it
 */
public record ConditionInput(String name, String shape, boolean required, String description) {
}
