package org.visutility.orchestrator.handoff;

import org.visutility.orchestrator.outbox.NotDelivered;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * POSTs a notification's body, byte for byte as the database built it, to promotion_webhook_url
 * with {@code X-Orchestrator-Delivery} (the id receivers de-duplicate by), {@code X-Orchestrator-Event}
 * and, with a secret, {@code X-Orchestrator-Signature}. A 2xx answer is delivery; anything else,
 * a refused connection or the timeout is a failed attempt, retried by the outbox.
 */
final class WebhookSender {
    /** Of the receiver's answer to a failed attempt, this much is kept in last_error. */
    private static final int MAX_ANSWER = 200;

    private final URI url;
    private final Optional<String> secret;
    private final Duration timeout;
    private final HttpClient http;

    WebhookSender(URI url, Optional<String> secret, Duration timeout) {
        this.url = url;
        this.secret = secret;
        this.timeout = timeout;
        // HTTP/1.1: no h2c upgrade dance with small receivers; a redirect is an answer, not a new destination
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    void send(Notification n) throws NotDelivered, InterruptedException {
        byte[] body = n.body().getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header(Signature.DELIVERY_HEADER, n.deliveryId())
                .header(Signature.EVENT_HEADER, n.event())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        secret.ifPresent(s -> request.header(Signature.HEADER, Signature.sign(body, s)));
        HttpResponse<String> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new NotDelivered("no answer within " + timeout.toMillis() + " ms (promotion_timeout)");
        } catch (IOException e) {
            throw new NotDelivered("cannot reach the webhook: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        int status = answer.statusCode();
        if (status / 100 != 2) {
            String text = answer.body() == null ? "" : answer.body().strip();
            if (text.length() > MAX_ANSWER) text = text.substring(0, MAX_ANSWER) + "...";
            throw new NotDelivered("the webhook answered HTTP " + status + (text.isEmpty() ? "" : ": " + text));
        }
    }
}
