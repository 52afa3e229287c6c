package io.migratekit.jobs.workflow;

/**
 * The workflow of a job was interrupted (the service is stopping) before it had a result; the job
 * is left for redelivery.
 */
public class WorkflowInterruptedException extends RuntimeException {

    public WorkflowInterruptedException(String jobId, Throwable cause) {
        super("the workflow of job " + jobId + " was interrupted", cause);
    }
}
