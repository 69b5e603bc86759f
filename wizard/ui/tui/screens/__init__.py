"""The screens: start, question, overview, summary, the draft question, learn and quiz.

A screen shows one step and reports what the team chose by posting a message
(``StartScreen.Begin``, ``QuestionScreen.Finished``, ``SummaryScreen.Saved`` …)
or by dismissing with a result (the overview, the draft question); the apps
(``wizard.ui.tui.app``, ``wizard.ui.tui.learn_app``) open the next one. No
screen imports an app.
"""
