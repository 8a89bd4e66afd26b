package io.switchboard.execute;

import io.switchboard.budget.Budgets;
import io.switchboard.cost.UsageRecord;
import io.switchboard.limit.Permit;

/**
 * What a request took before going upstream on its caller's behalf: a budget reservation and a permit of the
 * virtual key's rate limits. Both are settled to the request's real cost and tokens once it ends.
 */
record CallerAdmission(Budgets.Hold budget, Permit keyPermit) {

  void settle(Budgets budgets, UsageRecord record) {
    budgets.settle(budget, record.costMicros());
    keyPermit.settle(record.usage().promptTokens(), record.usage().completionTokens());
  }
}
