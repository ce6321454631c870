package org.visutility.orchestrator.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** What the ops commands share: who acts (for the intervention log) and how a refusal is told. */
final class OpsAnswer {
    private OpsAnswer() {
    }

    /** ops@HOST: the actor of a command in orchestrator.experiment_intervention. */
    static String actor() {
        try {
            return "ops@" + InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "ops@unknown-host";
        }
    }

    /** The command would not do what was asked, and says why: exit status 1. */
    static int refuse(boolean json, long id, String done, String status, String why) {
        if (json) {
            ObjectNode out = Json.MAPPER.createObjectNode().put("id", id).put(done, false).put("status", status).put("reason", why)
                    .put("error", "experiment " + id + ": " + why).put("exit_code", ExitCode.FAILED);
            System.out.println(out);
        }
        System.err.println("orchestrator: experiment " + id + ": " + why);
        return ExitCode.FAILED;
    }
}
