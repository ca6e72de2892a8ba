package dev.backprop.api;

import java.util.Objects;

/**
 * The one unchecked exception type of the SDK. Every error a user can act on is reported as a
 * {@code BackpropException} whose message says what was wrong, where, and what is allowed, and whose
 * {@link #code()} identifies the error stably.
 */
public class BackpropException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The stable error code. */
    private final ErrorCode code;

    /**
     * @param code the stable error code
     * @param message a complete, user-facing sentence (the code is prefixed automatically)
     */
    public BackpropException(ErrorCode code, String message) {
        this(code, message, null);
    }

    /**
     * @param code the stable error code
     * @param message a complete, user-facing sentence (the code is prefixed automatically)
     * @param cause the underlying failure, or {@code null}
     */
    public BackpropException(ErrorCode code, String message, Throwable cause) {
        super("[" + Objects.requireNonNull(code, "code").id() + "] " + message, cause);
        this.code = code;
    }

    /** @return the stable code of this error */
    public ErrorCode code() {
        return code;
    }

    /** @return the message without the {@code [BP-nnn]} prefix */
    public String detail() {
        String message = getMessage();
        return message.substring(code.id().length() + 3);
    }
}
