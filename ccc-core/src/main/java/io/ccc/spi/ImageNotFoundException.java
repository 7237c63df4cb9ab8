package io.ccc.spi;

import io.ccc.CccException;

/** The image is not on the engine and cannot be pulled. Final: another attempt would fail the same way. */
public final class ImageNotFoundException extends CccException {
    private final String image;

    public ImageNotFoundException(String image, String detail) {
        super("IMAGE_NOT_FOUND", "image " + image + " not found: " + detail, false);
        this.image = image;
    }

    public String image() {
        return image;
    }
}
