// Registration desk (meetings/staff/desk_member.html): print the member's check-in card.
document.addEventListener("click", (e) => {
  if (e.target.closest("[data-print]")) window.print();
});
