// Warns before the idle timeout ends the session, and lets people stay signed in (WCAG 2.2.1).
//
// base.html puts the timings and URLs on <body> (data-idle-seconds, data-warn-seconds,
// data-keep-alive-url, data-expired-url, data-sign-in-url) and renders the closed
// <dialog id="session-timeout">. The server's idle clock restarts on every request, so this one
// restarts on every page load and after "Stay signed in". Pages in other tabs of the same
// browser share the last activity time through localStorage, so an idle tab does not sign out
// someone who is working in another one.

const ACTIVITY_KEY = "safeshare-session-activity"
const ANNOUNCE_EVERY_MS = 60 * 1000

const body = document.body
const dialog = document.getElementById("session-timeout")
const idleMs = Number(body.dataset.idleSeconds) * 1000
const warnMs = Math.min(Number(body.dataset.warnSeconds) * 1000, idleMs)

let lastActivity = Date.now()
let timer = null
let returnFocusTo = null
let lastAnnounced = 0
let ending = false

function remember (time) {
  try {
    window.localStorage.setItem(ACTIVITY_KEY, String(time))
  } catch {
    // Storage can be unavailable (private browsing, policy): this tab still keeps its own time.
  }
}

function latestActivity () {
  let stored = 0
  try {
    stored = Number(window.localStorage.getItem(ACTIVITY_KEY)) || 0
  } catch {
    stored = 0
  }
  return Math.max(lastActivity, stored)
}

function describe (remainingMs) {
  const seconds = Math.max(1, Math.ceil(remainingMs / 1000))
  if (seconds < 60) {
    return seconds === 1 ? "1 second" : `${seconds} seconds`
  }
  const minutes = Math.ceil(seconds / 60)
  return minutes === 1 ? "1 minute" : `${minutes} minutes`
}

function csrfToken () {
  const input = dialog.querySelector("input[name=csrfmiddlewaretoken]")
  return input ? input.value : ""
}

function post (url) {
  return fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrfToken() }
  })
}

function showWarning (remainingMs) {
  const text = `You will be signed out in ${describe(remainingMs)}.`
  dialog.querySelector("[data-session-timeout-countdown]").textContent = text
  if (!dialog.open) {
    returnFocusTo = document.activeElement
    dialog.showModal()
    dialog.querySelector("#session-timeout-heading").focus()
    // The dialog's description reads the first countdown; the live region repeats it later.
    lastAnnounced = Date.now()
    return
  }
  if (Date.now() - lastAnnounced >= ANNOUNCE_EVERY_MS) {
    dialog.querySelector("[data-session-timeout-live]").textContent = text
    lastAnnounced = Date.now()
  }
}

function hideWarning () {
  if (!dialog.open) {
    return
  }
  dialog.close()
  dialog.querySelector("[data-session-timeout-live]").textContent = ""
  if (returnFocusTo && returnFocusTo.isConnected && typeof returnFocusTo.focus === "function") {
    returnFocusTo.focus()
  }
  returnFocusTo = null
}

async function signOut () {
  if (ending) {
    return
  }
  ending = true
  window.clearTimeout(timer)
  try {
    // End the session on the server too, whatever its clock says, then explain why.
    await post(body.dataset.expiredUrl)
  } catch {
    // Unreachable server: its own idle clock will end the session.
  }
  window.location.assign(body.dataset.signInUrl)
}

function check () {
  window.clearTimeout(timer)
  lastActivity = latestActivity()
  const remaining = lastActivity + idleMs - Date.now()
  if (remaining <= 0) {
    signOut()
    return
  }
  if (remaining <= warnMs) {
    showWarning(remaining)
    // Next whole second of the countdown.
    timer = window.setTimeout(check, remaining % 1000 || 1000)
    return
  }
  hideWarning()
  timer = window.setTimeout(check, remaining - warnMs)
}

async function staySignedIn () {
  hideWarning()
  let response = null
  try {
    response = await post(body.dataset.keepAliveUrl)
  } catch {
    response = null
  }
  if (response && response.status === 204) {
    lastActivity = Date.now()
    remember(lastActivity)
    check()
    return
  }
  // The session had already ended (the server redirected) or the server could not be reached.
  window.location.assign(body.dataset.signInUrl)
}

if (dialog && idleMs > 0) {
  dialog.querySelector("[data-session-timeout-stay]").addEventListener("click", staySignedIn)
  dialog.addEventListener("cancel", (event) => {
    // Escape: stay signed in rather than just hide the warning.
    event.preventDefault()
    staySignedIn()
  })
  window.addEventListener("storage", (event) => {
    if (event.key === ACTIVITY_KEY && !ending) {
      check()
    }
  })
  remember(lastActivity)
  check()
}
