// The one object the harness page sees over QWebChannel. It exposes only what
// the page needs to report back (issue: the channel must not widen the page's
// reach): the harness is ready, a job made progress, a ticket settled.
#pragma once
#include <QObject>
#include <QString>

namespace gapscope::browser {

class HarnessBridge : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;

 public Q_SLOTS:
  // Called by the page (bootstrap script) once gapscopeHarness exists.
  void ready(const QString& harness_version) { Q_EMIT harnessReady(harness_version); }
  // Called by the page when a ticket settles: {"state":"done","value":...}
  // or {"state":"failed","error":"..."}.
  void settled(int ticket, const QString& outcome_json) { Q_EMIT ticketSettled(ticket, outcome_json); }
  // Called by the page as a job goes: {"kind":"progress","phase",...}.
  void progress(int ticket, const QString& event_json) { Q_EMIT ticketProgress(ticket, event_json); }

 Q_SIGNALS:
  void harnessReady(const QString& harness_version);
  void ticketSettled(int ticket, const QString& outcome_json);
  void ticketProgress(int ticket, const QString& event_json);
};

}  // namespace gapscope::browser
