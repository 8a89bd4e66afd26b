// The Switchboard dashboard: polls the admin API every few seconds and draws what it answers. Every number on
// the page comes from the API; the page itself holds no data and needs no key to load. When the API answers
// 401 the page asks once for the master key, keeps it in this tab's session storage and sends it as a bearer
// token with every call.
'use strict';

(function () {
  const POLL_MS = 5000;
  const KEY_STORAGE = 'switchboard.adminKey';
  const COLORS = ['#2563eb', '#16a34a', '#f59e0b', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d',
    '#ea580c', '#475569'];

  class NeedsKey extends Error {}

  const state = { charts: {}, timer: null, busy: false, refreshes: 0 };
  const $ = (id) => document.getElementById(id);

  // ---- talking to the admin API -------------------------------------------------------------------------

  function adminKey() {
    return sessionStorage.getItem(KEY_STORAGE);
  }

  /** JSON of an admin endpoint; {missing: code} when it answers 404 (the reports, with the ledger off). */
  async function api(path) {
    const key = adminKey();
    const response = await fetch(path, {
      headers: key ? { Authorization: 'Bearer ' + key } : {},
      cache: 'no-store',
    });
    if (response.status === 401) {
      throw new NeedsKey();
    }
    if (response.status === 404) {
      const body = await response.json().catch(() => ({}));
      return { missing: (body.error && body.error.code) || 'unknown_url' };
    }
    if (!response.ok) {
      throw new Error(path.split('?')[0] + ' answered HTTP ' + response.status);
    }
    return response.json();
  }

  async function load(period) {
    const [status, live, budgets, experiments] = await Promise.all([
      api('/admin/reports/status'), api('/admin/stats'), api('/admin/budgets'), api('/admin/experiments')]);
    const data = { status, live, budgets, experiments, period, reports: !status.missing };
    if (data.reports) {
      const q = 'period=' + period;
      const bucket = period === 'day' ? 'hour' : 'day';
      [data.byModel, data.byTask, data.cost, data.series, data.fallbacks, data.limits, data.insights] =
        await Promise.all([
          api('/admin/reports/stats?by=model&' + q), api('/admin/reports/stats?by=task_type&' + q),
          api('/admin/reports/cost?' + q), api('/admin/reports/timeseries?bucket=' + bucket + '&' + q),
          api('/admin/reports/fallbacks?' + q), api('/admin/reports/rate-limits?' + q),
          api('/admin/reports/insights?' + q)]);
      data.bucket = bucket;
    }
    return data;
  }

  // ---- formatting -----------------------------------------------------------------------------------------

  function num(value) {
    const n = Number(value);
    return Number.isFinite(n) ? n : 0;
  }

  function usd(value) {
    const n = num(value);
    const abs = Math.abs(n);
    if (abs === 0) {
      return '$0.00';
    }
    // small spends are the point of a router: show them to the micro-dollar rather than as $0.00
    const digits = abs >= 1 ? 2 : abs >= 0.01 ? 4 : 6;
    return (n < 0 ? '-$' : '$') + abs.toLocaleString('en-US', {
      minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  function pct(fraction) {
    return (num(fraction) * 100).toLocaleString('en-US', { maximumFractionDigits: 1 }) + ' %';
  }

  function count(value) {
    return num(value).toLocaleString('en-US');
  }

  function time(epochMs) {
    return new Date(num(epochMs)).toISOString().substring(11, 19);
  }

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => {
      if (name === 'class') {
        node.className = value;
      } else if (name === 'style') {
        node.style.cssText = value;
      } else {
        node.setAttribute(name, value);
      }
    });
    children.flat().forEach((child) => node.append(child instanceof Node ? child : String(child)));
    return node;
  }

  function empty(message) {
    return el('p', { class: 'empty-text' }, message);
  }

  function table(headers, rows) {
    return el('table', {},
      el('thead', {}, el('tr', {}, headers.map((h) => el('th', {}, h)))),
      el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c) => el('td', {}, c))))));
  }

  const LEDGER_OFF = 'The ledger is off (analytics.ledger: none): this needs it.';

  // ---- charts -----------------------------------------------------------------------------------------------

  function createCharts() {
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = '#475569';
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;
    // each bucket is a sum: bars, the spend beside what the baseline would have cost
    state.charts.spend = new Chart($('spend-chart'), {
      type: 'bar',
      data: { labels: [], datasets: [
        { label: 'Spend', data: [], backgroundColor: COLORS[0] },
        { label: 'Baseline would have cost', data: [], backgroundColor: '#cbd5e1' }] },
      options: {
        interaction: { mode: 'index', intersect: false },
        scales: { y: { beginAtZero: true, ticks: { callback: (v) => usd(v) } } },
        plugins: { tooltip: { callbacks: { label: (c) => c.dataset.label + ': ' + usd(c.parsed.y) } } },
      },
    });
    state.charts.models = new Chart($('model-chart'), {
      type: 'doughnut',
      data: { labels: [], datasets: [{ label: 'Requests', data: [], backgroundColor: COLORS }] },
      options: { cutout: '55%', plugins: { legend: { position: 'right' } } },
    });
    state.charts.tasks = new Chart($('task-chart'), {
      type: 'bar',
      data: { labels: [], datasets: [
        { label: 'Requests', data: [], backgroundColor: COLORS[0], yAxisID: 'requests' },
        { label: 'Cost', data: [], backgroundColor: COLORS[2], yAxisID: 'cost' }] },
      options: {
        scales: {
          requests: { position: 'left', beginAtZero: true, ticks: { precision: 0 } },
          cost: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false },
            ticks: { callback: (v) => usd(v) } },
        },
        plugins: { tooltip: { callbacks: {
          label: (c) => c.dataset.label + ': ' + (c.dataset.yAxisID === 'cost' ? usd(c.parsed.y) : count(c.parsed.y)),
        } } },
      },
    });
  }

  function setChart(chart, labels, series, emptyMessage) {
    chart.data.labels = labels;
    series.forEach((values, i) => { chart.data.datasets[i].data = values; });
    chart.update();
    const overlay = $(chart.canvas.id + '-empty');
    overlay.textContent = emptyMessage || '';
    overlay.hidden = !emptyMessage;
  }

  /** The report's points (one per bucket, empty ones as zeros) as chart labels and series. */
  function spendSeries(data) {
    const points = data.series.points || [];
    const label = (t) => new Date(num(t)).toISOString().substring(data.bucket === 'hour' ? 11 : 5,
      data.bucket === 'hour' ? 16 : 10);
    return {
      labels: points.map((p) => label(p.t)),
      cost: points.map((p) => num(p.cost_usd)),
      baseline: points.map((p) => num(p.baseline_cost_usd)),
      requests: points.reduce((sum, p) => sum + num(p.requests), 0),
    };
  }

  // ---- rendering ------------------------------------------------------------------------------------------

  const PERIOD_WORDS = { day: 'today', week: 'this week', month: 'this month' };

  function renderTotals(data) {
    let cost;
    let baseline;
    let requests;
    const words = data.reports ? PERIOD_WORDS[data.period] : 'today';
    if (data.reports) {
      cost = num(data.cost.cost_usd);
      baseline = num(data.cost.baseline_cost_usd);
      requests = num(data.byModel.totals && data.byModel.totals.requests);
      const projection = data.cost.projection || {};
      $('kpi-projection').textContent = usd(projection.projected_month_usd);
      $('kpi-projection-sub').textContent = usd(projection.month_to_date_usd) + ' so far, day '
        + count(projection.days_elapsed) + ' of ' + count(projection.days_in_month);
    } else {
      cost = num(data.live.today.cost_usd);
      baseline = num(data.live.today.baseline_cost_usd);
      requests = num(data.live.today.requests);
      $('kpi-projection').textContent = '–';
      $('kpi-projection-sub').textContent = LEDGER_OFF;
    }
    $('kpi-spend-label').textContent = 'Spend ' + words;
    $('kpi-spend').textContent = usd(cost);
    $('kpi-requests').textContent = count(requests) + (requests === 1 ? ' request' : ' requests')
      + (data.reports ? '' : ' since this process started');
    $('kpi-baseline').textContent = usd(baseline);
    $('kpi-savings').textContent = usd(baseline - cost);
    $('kpi-savings-pct').textContent = baseline > 0 ? pct((baseline - cost) / baseline) + ' of the baseline'
      : 'nothing to compare yet';
  }

  function renderDistributions(data) {
    let models;
    let tasks;
    if (data.reports) {
      const groups = (report) => (report.groups || []).map((g) => ({
        key: g.key, requests: num(g.requests), cost: num(g.cost_usd) }));
      models = groups(data.byModel);
      tasks = groups(data.byTask);
    } else {
      const groups = (byKey) => Object.entries(byKey || {}).map(([key, g]) => ({
        key, requests: num(g.requests), cost: num(g.cost_usd) }));
      models = groups(data.live.today.by_model);
      tasks = groups(data.live.today.by_task_type);
    }
    models.sort((a, b) => b.requests - a.requests);
    tasks.sort((a, b) => b.requests - a.requests);
    const none = 'No requests ' + (data.reports ? PERIOD_WORDS[data.period] : 'today') + ' yet.';
    setChart(state.charts.models, models.map((m) => m.key), [models.map((m) => m.requests)],
      models.length ? '' : none);
    setChart(state.charts.tasks, tasks.map((t) => t.key), [tasks.map((t) => t.requests), tasks.map((t) => t.cost)],
      tasks.length ? '' : none);
  }

  function renderSpend(data) {
    if (!data.reports) {
      $('spend-bucket').textContent = '';
      setChart(state.charts.spend, [], [[], []], LEDGER_OFF);
      return;
    }
    const filled = spendSeries(data);
    $('spend-bucket').textContent = data.bucket === 'hour' ? 'by hour (UTC)' : 'by day (UTC)';
    setChart(state.charts.spend, filled.labels, [filled.cost, filled.baseline],
      filled.requests > 0 ? '' : 'No spend ' + PERIOD_WORDS[data.period] + ' yet: send a request through the gateway.');
  }

  function gauge(line) {
    const used = Math.max(0, num(line.utilization));
    const level = used >= 0.9 ? 'critical' : used >= 0.75 ? 'warning' : 'ok';
    const turn = Math.min(used, 1) * 0.5;
    return el('div', { class: 'gauge ' + level },
      el('div', { class: 'dial', style: '--turn: ' + turn + 'turn' }, el('span', {}, pct(used))),
      el('div', { class: 'gauge-label' }, line.scope + ' · ' + line.period),
      el('div', { class: 'muted' }, usd(line.spent_usd) + ' of ' + usd(line.limit_usd)));
  }

  function renderBudgets(data) {
    const box = $('budgets');
    const lines = (data.budgets.budgets || []);
    const limited = lines.filter((l) => l.limit_usd !== null && l.limit_usd !== undefined);
    const gauges = limited.map(gauge);
    const open = lines.filter((l) => !limited.includes(l)).map((l) =>
      el('li', {}, l.scope + ' ' + l.period + ': ' + usd(l.spent_usd) + ' spent, no limit'));
    box.replaceChildren(...gauges);
    if (!limited.length) {
      box.append(empty('No budget limits set: budgets.global in the configuration, or PUT /admin/budgets.'));
    }
    if (open.length) {
      box.append(el('ul', { class: 'plain muted' }, open));
    }
  }

  function renderInsights(data) {
    if (!data.reports) {
      $('suggestions').replaceChildren(empty(LEDGER_OFF));
      $('alerts').replaceChildren(empty(LEDGER_OFF));
      return;
    }
    const suggestions = (data.insights.suggestions || []).slice()
      .sort((a, b) => num(b.estimated_monthly_saving_usd) - num(a.estimated_monthly_saving_usd)).slice(0, 5);
    $('suggestions').replaceChildren(suggestions.length
      ? el('ul', { class: 'plain list' }, suggestions.map((s) => el('li', {},
        el('span', { class: 'badge good' }, usd(s.estimated_monthly_saving_usd) + '/month'), ' ', s.text)))
      : empty('No cheaper model has proved itself on any task type yet.'));
    const alerts = data.insights.alerts || [];
    $('alerts').replaceChildren(alerts.length
      ? el('ul', { class: 'plain list' }, alerts.map((a) => el('li', {},
        el('span', { class: 'badge ' + (a.severity === 'critical' ? 'bad' : 'warn') }, a.kind.replace(/_/g, ' ')),
        ' ', a.message)))
      : empty('No alerts.'));
    $('alerts').append(rateLimits(data));
  }

  /** The period's rate-limit refusals: the gateway's own limits and the upstreams' 429s, busiest targets first. */
  function rateLimits(data) {
    const limits = data.limits;
    if (!num(limits.events)) {
      return empty('No rate limits hit ' + PERIOD_WORDS[data.period] + '.');
    }
    const bySource = limits.by_source || {};
    const targets = (limits.by_target || []).slice().sort((a, b) => num(b.events) - num(a.events)).slice(0, 3);
    return el('p', { class: 'muted' }, 'Rate limits ' + PERIOD_WORDS[data.period] + ': '
      + count(bySource.gateway) + ' refused by the gateway, ' + count(bySource.upstream) + ' upstream 429s ('
      + targets.map((t) => t.target + ' ' + count(t.events)).join(', ') + ').');
  }

  function renderFallbacks(data) {
    if (!data.reports) {
      $('fallback-rate').textContent = '';
      $('fallbacks').replaceChildren(empty(LEDGER_OFF));
      return;
    }
    const f = data.fallbacks;
    $('fallback-rate').textContent = num(f.requests) > 0 ? pct(f.fallback_rate) + ' of requests' : '';
    const recent = (f.recent || []).slice(0, 8);
    $('fallbacks').replaceChildren(recent.length
      ? table(['time (UTC)', 'from', 'to', 'reason'], recent.map((r) => [time(r.epoch_ms), r.from_model,
        r.to_model === r.from_model ? 'retried' : r.to_model, String(r.reason).replace(/_/g, ' ')]))
      : empty('No fallbacks ' + PERIOD_WORDS[data.period] + '.'));
  }

  function renderExperiments(data) {
    const experiments = data.experiments.experiments || [];
    if (!experiments.length) {
      $('experiments').replaceChildren(empty('No experiments configured (experiments: in the configuration).'));
      return;
    }
    $('experiments').replaceChildren(...experiments.map((x) => el('div', { class: 'experiment' },
      el('h3', {}, x.name, ' ', el('span', { class: 'muted' }, 'on ' + x.model + ', decided by ' + x.decide_by),
        x.winner ? el('span', { class: 'badge good' }, 'winner: ' + x.winner) : ''),
      el('p', { class: 'muted' }, x.verdict),
      table(['arm', 'policy', 'requests', 'success', 'escalations', 'mean cost', 'mean latency'],
        (x.arms || []).map((arm) => [arm.name + (arm.name === x.control ? ' (control)' : ''), arm.policy,
          count(arm.requests), arm.success_rate === null ? '–' : pct(arm.success_rate),
          arm.escalation_rate === null ? '–' : pct(arm.escalation_rate),
          arm.cost_usd && arm.cost_usd.mean !== null ? usd(arm.cost_usd.mean) : '–',
          arm.latency_ms && arm.latency_ms.mean !== null ? Math.round(num(arm.latency_ms.mean)) + ' ms' : '–'])))));
  }

  function renderHeader(data) {
    const ledger = $('ledger');
    if (data.reports) {
      ledger.textContent = 'ledger: ' + data.status.ledger;
      ledger.className = 'pill ok';
    } else {
      ledger.textContent = 'ledger off';
      ledger.className = 'pill off';
    }
    $('period').disabled = !data.reports;
    $('updated').textContent = 'updated ' + new Date().toISOString().substring(11, 19) + ' UTC';
    $('forget-key').hidden = !adminKey();
  }

  function render(data) {
    renderHeader(data);
    renderTotals(data);
    renderSpend(data);
    renderDistributions(data);
    renderBudgets(data);
    renderInsights(data);
    renderFallbacks(data);
    renderExperiments(data);
  }

  // ---- the loop -------------------------------------------------------------------------------------------

  function notice(message) {
    $('notice').textContent = message || '';
    $('notice').hidden = !message;
  }

  async function refresh() {
    if (state.busy) {
      return;
    }
    state.busy = true;
    try {
      render(await load($('period').value));
      notice('');
      state.refreshes += 1;
      document.body.dataset.state = 'ready';
      document.body.dataset.refreshes = String(state.refreshes);
    } catch (e) {
      if (e instanceof NeedsKey) {
        stopPolling();
        askForKey(adminKey() !== null);
      } else {
        notice('Could not load the dashboard: ' + e.message + '. Retrying every ' + POLL_MS / 1000 + ' s.');
      }
    } finally {
      state.busy = false;
    }
  }

  function startPolling() {
    stopPolling();
    state.timer = setInterval(refresh, POLL_MS);
    refresh();
  }

  function stopPolling() {
    clearInterval(state.timer);
    state.timer = null;
  }

  function askForKey(refused) {
    sessionStorage.removeItem(KEY_STORAGE);
    document.body.dataset.state = 'needs-key';
    $('key-error').hidden = !refused;
    $('key-input').value = '';
    if (!$('key-dialog').open) {
      $('key-dialog').showModal();
    }
    $('key-input').focus();
  }

  function init() {
    createCharts();
    $('key-form').addEventListener('submit', (event) => {
      event.preventDefault();
      sessionStorage.setItem(KEY_STORAGE, $('key-input').value.trim());
      $('key-dialog').close();
      document.body.dataset.state = 'loading';
      startPolling();
    });
    $('key-dialog').addEventListener('cancel', (event) => event.preventDefault());
    $('forget-key').addEventListener('click', () => {
      stopPolling();
      askForKey(false);
    });
    $('period').addEventListener('change', refresh);
    startPolling();
  }

  document.addEventListener('DOMContentLoaded', init);
}());
