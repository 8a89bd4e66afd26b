package io.switchboard.classify.train;

import io.switchboard.classify.Complexity;
import io.switchboard.classify.TaskType;

/**
 * One labelled prompt.
 *
 * @param source     data set it comes from, as named in the model card
 * @param group      the source item: every prompt of one group lands on the same side of the split
 * @param complexity null where the source has no complexity label
 */
record Example(String source, String group, String text, TaskType taskType, Complexity complexity) {
}
