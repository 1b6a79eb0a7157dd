// Wiring: the page's parts, the REST reads that fill them, and the live socket that keeps them current.

import { api, pageConfig } from "./api.js";
import { Board } from "./board.js";
import { Collaboration } from "./collab.js";
import { show, timeZoneName, toast } from "./dom.js";
import { FindWork } from "./findwork.js";
import { MembersPanel } from "./members.js";
import { Notifications } from "./notifications.js";
import { ProjectList } from "./projects.js";
import { attachShortcuts } from "./shortcuts.js";
import { LiveSocket } from "./socket.js";
import { TaskDetail } from "./taskdetail.js";
import { TaskForm } from "./taskform.js";

const config = pageConfig();
const me = config.user;
const byId = (id) => document.getElementById(id);

let currentProject = null;

let lastOpenedTaskId = null;

const board = new Board(byId("board"), {
  onOpen: (taskId) => {
    lastOpenedTaskId = taskId;
    detail.open(board.get(taskId));
  },
  onUpsert: (task) => detail.remoteUpdate(task),
  onRemove: (taskId) => detail.remoteDelete(taskId),
  announce: (text) => {
    byId("board-announce").textContent = text;
  },
});

const findWork = new FindWork({ form: byId("find-form"), me, onChange: () => reloadBoard() });
board.setView({
  params: () => findWork.params(),
  matches: (task, known) => findWork.matches(task, known),
  skip: (status) => findWork.skip(status),
});

const members = new MembersPanel({
  section: byId("members-section"),
  list: byId("member-list"),
  form: byId("member-form"),
  me,
  onChange: (list) => {
    taskForm.setMembers(list);
    detail.setMembers(list);
    findWork.setMembers(list);
  },
});

const detail = new TaskDetail({
  dialog: byId("task-dialog"),
  me,
  getProject: () => currentProject,
  getMembers: () => members.members,
  username: (userId) => members.username(userId),
  labelName: (labelId) => collab.labels.find((label) => label.id === labelId)?.name,
  onStored: (task) => board.upsert(task),
  onGone: (taskId) => board.remove(taskId),
  onOpened: (task) => collab.taskOpened(task),
  onClosed: () => collab.taskClosed(),
});

const collab = new Collaboration({
  dialog: byId("task-dialog"),
  presenceRoot: byId("presence"),
  me,
  send: (frame) => socket.send(frame),
  getProject: () => currentProject,
  getMembers: () => members.members,
  getTask: () => (detail.isOpen ? detail.task : null),
  onTaskChanged: (task) => board.upsert(task),
  onLabels: (labels) => findWork.setLabels(labels),
});
// The card was redrawn while its task was open (the save itself redraws it): give the keyboard back to it.
byId("task-dialog").addEventListener("close", () => {
  if (lastOpenedTaskId !== null) board.focusCard(lastOpenedTaskId);
});

const taskForm = new TaskForm({
  wrap: byId("task-form-wrap"),
  form: byId("task-form"),
  getProject: () => currentProject,
  onCreated: (task) => {
    board.upsert(task, { highlight: true });
    toast(`Created "${task.title}".`);
  },
});

const projects = new ProjectList({
  list: byId("project-list"),
  form: byId("project-form"),
  wrap: byId("project-form-wrap"),
  onSelect: (project) => showProject(project),
});

const notifications = new Notifications({
  button: byId("bell-button"),
  count: byId("bell-count"),
  panel: byId("notification-panel"),
  list: byId("notification-list"),
  empty: byId("notification-empty"),
  readAll: byId("read-all"),
  onOpenTask: (task) => openTask(task),
});
notifications.requestResume = (afterSeq) => {
  socket.send({ type: "resume", after_seq: afterSeq });
  socket.ping(); // its pong marks the end of the replay
};

async function showProject(project) {
  const changed = project?.id !== currentProject?.id;
  currentProject = project;
  if (changed && detail.isOpen) detail.dialog.close();
  show(byId("no-project"), !project);
  show(byId("project-view"), Boolean(project));
  if (!project) {
    members.reset();
    board.load(null, []);
    return;
  }
  byId("project-title").textContent = project.name;
  if (changed) collab.projectChanged();
  byId("project-description-text").textContent = project.description;
  if (changed) taskForm.reset();
  await Promise.all([reloadBoard(), reloadMembers()]);
}

async function reloadBoard() {
  const project = currentProject;
  if (!project) return;
  await firstReady; // reads made before the socket joined its groups could miss a change in between
  if (project !== currentProject) return;
  try {
    await board.refetch(project.id);
  } catch (error) {
    toast(`The board could not be loaded: ${error.message}`, "error");
  }
}

async function reloadMembers() {
  const project = currentProject;
  try {
    await members.load(project);
  } catch (error) {
    if (error.status === 404) {
      // Removed from the project (or it was deleted) since the list was read.
      toast(`You are no longer a member of "${project.name}".`, "warning");
      await refreshProjects();
    } else {
      toast(`The members could not be loaded: ${error.message}`, "error");
    }
  }
}

let projectsRefresh = null;

// Re-read the project list; keep the selection when it still exists, else fall back to the first project.
function refreshProjects() {
  projectsRefresh ??= projects
    .refresh()
    .then(() => {
      const keep = currentProject && projects.get(currentProject.id);
      if (keep) {
        currentProject = keep; // the caller's role may have changed
        members.refreshProject(keep);
        return;
      }
      projects.select(projects.defaultId());
    })
    .catch((error) => toast(`The projects could not be loaded: ${error.message}`, "error"))
    .finally(() => {
      projectsRefresh = null;
    });
  return projectsRefresh;
}

async function openTask(task) {
  if (!task) return;
  if (task.project !== currentProject?.id) {
    if (!projects.get(task.project)) await refreshProjects();
    if (!projects.get(task.project)) {
      toast("That task's project is no longer yours to see.", "warning");
      return;
    }
    projects.select(task.project);
  }
  lastOpenedTaskId = task.id;
  await detail.openById(task.id);
}

function onFrame(frame) {
  switch (frame.type) {
    case "task.created":
    case "task.updated":
      // A frame of a project the list does not know means the user was just added to it.
      if (!projects.get(frame.project)) refreshProjects();
      if (frame.project === currentProject?.id) {
        collab.learnLabels(frame.task.labels);
        board.upsert(frame.task, { highlight: true });
      }
      break;
    case "task.deleted":
      if (frame.project === currentProject?.id) board.remove(frame.task.id);
      break;
    case "notification":
      notifications.receive(frame.notification);
      break;
    case "unread_count":
      notifications.setCount(frame.count);
      break;
    case "comment.created":
    case "comment.deleted": {
      collab.onCommentFrame(frame);
      const task = frame.project === currentProject?.id && board.get(frame.task);
      if (task) {
        task.comment_count = Math.max(0, (task.comment_count || 0) + (frame.type === "comment.created" ? 1 : -1));
        board.render();
      }
      break;
    }
    case "comment.updated":
      collab.onCommentFrame(frame);
      break;
    case "presence":
      collab.onPresence(frame);
      break;
    case "project.added":
    case "project.removed":
      // A removed current project's board and cards go at once; the list is read again and another project opens.
      if (frame.type === "project.removed" && frame.project.id === currentProject?.id) showProject(null);
      refreshProjects();
      break;
    case "error":
      console.warn("TaskFlow live connection:", frame.detail);
      break;
    default:
      break; // frame types added later are not this page's business yet
  }
}

const STATUS_TEXT = { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…" };

function onStatus(state) {
  const node = byId("live-status");
  node.dataset.state = state;
  node.textContent = STATUS_TEXT[state] || state;
}

// The first reads of the board and the notifications wait for the socket's first `ready`: made after it joined its
// groups, they miss nothing, so nothing needs reading twice. (A socket that cannot connect delays them a little.)
const SOCKET_WAIT_MS = 3000;
let socketReady;
const firstReady = Promise.race([
  new Promise((resolve) => {
    socketReady = resolve;
  }),
  new Promise((resolve) => setTimeout(resolve, SOCKET_WAIT_MS)),
]);
let initialNotifications = null;

function loadNotifications() {
  initialNotifications ??= notifications.load().catch((error) => toast(`Notifications could not be loaded: ${error.message}`, "error"));
  return initialNotifications;
}
firstReady.then(loadNotifications);

async function onReady(frame, { reconnected }) {
  socketReady();
  // Resume starts from the highest seq the page holds, so it waits for the first read of the list (else it would
  // replay the user's whole history from 0).
  await loadNotifications();
  notifications.resuming = false;
  notifications.sync(frame.last_seq);
  collab.announce(); // presence is per socket: a new socket says it again
  if (!reconnected) return; // the first reads start now, after this socket joined its groups
  // A reconnect: whatever happened while the socket was away is caught up here.
  const catchUp = [notifications.refreshCount(), reloadBoard()];
  catchUp.push(refreshProjects());
  if (detail.isOpen) {
    const openId = detail.task.id;
    catchUp.push(
      api.get(`/api/tasks/${openId}/`).then(
        (task) => board.upsert(task),
        (error) => error.status === 404 && board.remove(openId),
      ),
    );
  }
  const failures = (await Promise.allSettled(catchUp)).filter((result) => result.status === "rejected");
  if (failures.length) toast("Reconnected, but some data could not be refreshed; reload the page if it looks stale.", "warning");
}

const socket = new LiveSocket({
  onReady,
  onFrame,
  onPong: (frame) => notifications.sync(frame.last_seq, { answered: true }),
  onStatus,
  onUnauthenticated: () => {
    // 4401: the session may have ended. Asking the API tells; a 401 there sends the page to the login form.
    api.get("/api/me/").catch(() => {});
  },
});

async function start() {
  const zone = `(${timeZoneName()})`;
  for (const hint of document.querySelectorAll('[data-role="tz-hint"]')) hint.textContent = zone;
  socket.start();
  try {
    await projects.refresh();
  } catch (error) {
    toast(`The projects could not be loaded: ${error.message}`, "error");
    return;
  }
  projects.select(projects.defaultId());
}

const shortcuts = attachShortcuts({
  help: byId("help-dialog"),
  actions: {
    c: () => {
      if (!currentProject) return;
      byId("task-form-wrap").open = true;
      byId("new-title").focus();
    },
    "/": () => currentProject && findWork.focusSearch(),
    "?": () => shortcuts.showHelp(),
  },
});
byId("shortcuts-button").addEventListener("click", () => shortcuts.showHelp());

start();
