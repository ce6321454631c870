package org.visutility.orchestrator.node;

/**
 * Who sent an allowed request: the name of the token presented, or {@code loopback} when no token
 * of the role is configured and the caller is on this host. What the request changes is recorded
 * with this name as its actor.
 */
public record ApiCaller(String name) {
    /** The name of a tokenless caller on loopback. */
    public static final ApiCaller LOOPBACK = new ApiCaller("loopback");
    /** The caller of the read API when no read token is set (it is open). */
    public static final ApiCaller ANONYMOUS = new ApiCaller("anonymous");

    /** How a write made by this caller records its actor, as model version events spell an operator. */
    public String actor() {
        return "operator:" + name;
    }
}
