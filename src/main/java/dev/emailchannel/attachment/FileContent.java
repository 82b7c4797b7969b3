package dev.emailchannel.attachment;

import java.io.IOException;
import java.io.InputStream;

/**
 * The decoded content of a file that goes to the agent, read again from the mail each time it is opened: a file is
 * never held in memory as a whole (a 10 MB attachment costs no 10 MB array, only the raw mail it is decoded from).
 */
public interface FileContent {

    /** The number of decoded bytes, the same for every {@link #open()}. */
    long size();

    /** The decoded bytes from the first; each call opens a new stream, which gives {@link #size()} bytes. */
    InputStream open() throws IOException;
}
