package org.visutility.orchestrator.web.dashboard;

/** A request the read API refuses: the HTTP status and a message naming the parameter or the missing thing. */
final class ApiError extends RuntimeException {
    static final int BAD_REQUEST = 400;
    static final int NOT_FOUND = 404;

    private final int status;

    private ApiError(int status, String message) {
        super(message);
        this.status = status;
    }

    static ApiError badRequest(String message) {
        return new ApiError(BAD_REQUEST, message);
    }

    static ApiError notFound(String message) {
        return new ApiError(NOT_FOUND, message);
    }

    int status() {
        return status;
    }
}
