package dev.backprop.core.network;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;

/** A layer could not be built (for example its initializer cannot fill it); knows which layer. */
public final class LayerException extends BackpropException {
    private static final long serialVersionUID = 1L;

    /** The index of the layer that could not be built. */
    private final int layerIndex;

    /**
     * @param code the error code
     * @param layerIndex the index of the layer in the network
     * @param message the message
     * @param cause the underlying error
     */
    public LayerException(ErrorCode code, int layerIndex, String message, Throwable cause) {
        super(code, message, cause);
        this.layerIndex = layerIndex;
    }

    /** @return the index of the layer that could not be built */
    public int layerIndex() {
        return layerIndex;
    }
}
