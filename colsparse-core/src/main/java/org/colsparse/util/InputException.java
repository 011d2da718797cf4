package org.colsparse.util;

/**
 * Bad input from the user: a corrupt or truncated file, a wrong shape, NaN in activations, an
 * invalid option value or an unknown name. The CLI prints the message as one line and exits 2, so
 * the message must name the file or field and the problem on its own.
 */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
